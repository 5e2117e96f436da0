"""BAC and secure messaging against the worked example of ICAO 9303 part 11, appendix D."""

from __future__ import annotations

import pytest

from issuance.chip.apdu import CommandApdu
from issuance.chip.bac import (
    BacKey,
    ChipAuthentication,
    TerminalAuthentication,
    adjust_parity,
    check_digit,
    derive_key,
    retail_mac,
)
from issuance.chip.errors import BacAuthenticationFailed, SecureMessagingFailed
from issuance.chip.secure_messaging import ChipChannel, TerminalChannel

h = bytes.fromhex
KEY = BacKey.of("L898902C", "690806", "940623")
RND_IC = h("4608F91988702212")
RND_IFD = h("781723860C06C226")
K_IFD = h("0B795240CB7049B01C19B33E32804F0B")
K_IC = h("0B4F80323EB3191CB04970CB4052790B")
CMD_DATA = h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F25F1448EEA8AD90A7")
RESP_DATA = h("46B9342A41396CD7386BF5803104D7CEDC122B9132139BAF2EEDC94EE178534F2F2D235D074D7449")


def test_check_digits_and_mrz_information():
    assert check_digit("L898902C<") == "3"
    assert check_digit("690806") == "1"
    assert check_digit("940623") == "6"
    assert KEY.mrz_information() == "L898902C<369080619406236"


def test_key_seed_and_basic_access_keys():
    seed = KEY.key_seed()
    assert seed == h("239AB9CB282DAF66231DC5A4DF6BFBAE")
    assert derive_key(seed, 1) == h("AB94FDECF2674FDFB9B391F85D7F76F2")
    assert derive_key(seed, 2) == h("7962D9ECE03D1ACD4C76089DCE131543")


def test_parity_adjustment_sets_odd_parity():
    adjusted = adjust_parity(bytes(range(256)))
    assert all(bin(b).count("1") % 2 == 1 for b in adjusted)


def _terminal() -> TerminalAuthentication:
    return TerminalAuthentication(KEY, rnd_ifd=RND_IFD, k_ifd=K_IFD)


def _chip() -> ChipAuthentication:
    chip = ChipAuthentication(KEY.key_seed(), k_ic=K_IC)
    chip.rnd_ic = RND_IC
    return chip


def test_mutual_authentication_matches_appendix_d():
    terminal = _terminal()
    assert terminal.external_authenticate_data(RND_IC) == CMD_DATA
    answer, chip_keys = _chip().answer(CMD_DATA)
    assert answer == RESP_DATA
    keys = terminal.complete(RESP_DATA)
    assert keys.enc == h("979EC13B1CBFE9DCD01AB0FED307EAE5")
    assert keys.mac == h("F1CB1F1FB5ADF208806B89DC579DC1F8")
    assert keys.ssc == 0x887022120C06C226
    assert chip_keys == keys


def test_retail_mac_of_the_external_authenticate_cryptogram():
    assert retail_mac(derive_key(KEY.key_seed(), 2), CMD_DATA[:32]) == h("5F1448EEA8AD90A7")


def test_chip_refuses_a_terminal_with_the_wrong_mrz():
    wrong = TerminalAuthentication(BacKey.of("L898902C", "690807", "940623"))
    with pytest.raises(BacAuthenticationFailed):
        _chip().answer(wrong.external_authenticate_data(RND_IC))


def test_terminal_refuses_a_tampered_chip_answer():
    terminal = _terminal()
    terminal.external_authenticate_data(RND_IC)
    with pytest.raises(BacAuthenticationFailed):
        terminal.complete(RESP_DATA[:-1] + bytes([RESP_DATA[-1] ^ 1]))


def _session() -> TerminalChannel:
    terminal = _terminal()
    terminal.external_authenticate_data(RND_IC)
    return TerminalChannel(terminal.complete(RESP_DATA))


def test_secure_messaging_matches_appendix_d():
    channel = _session()
    select = channel.protect(CommandApdu(0x00, 0xA4, 0x02, 0x0C, h("011E")))
    assert select.encode() == h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800")
    assert channel.unprotect(h("990290008E08FA855A5D4C50A8ED"), 0x9000) == (b"", 0x9000)

    read = channel.protect(CommandApdu(0x00, 0xB0, 0x00, 0x00, le=4))
    assert read.encode() == h("0CB000000D9701048E08ED6705417E96BA5500")
    data, sw = channel.unprotect(h("8709019FF0EC34F9922651990290008E08AD55CC17140B2DED"), 0x9000)
    assert (data, sw) == (h("60145F01"), 0x9000)

    read = channel.protect(CommandApdu(0x00, 0xB0, 0x00, 0x04, le=0x12))
    assert read.encode() == h("0CB000040D9701128E082EA28A70F3C7B53500")
    response = h(
        "871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D74"
    )
    data, _ = channel.unprotect(response, 0x9000)
    assert data == h("04303130365F36063034303030305C026175")
    assert channel.ssc == 0x887022120C06C22C


def test_chip_side_produces_the_appendix_d_responses():
    _, keys = _chip().answer(CMD_DATA)
    chip = ChipChannel(keys)
    command = chip.unprotect(
        CommandApdu.parse(h("0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800"))
    )
    assert (command.ins, command.data, command.le) == (0xA4, h("011E"), None)
    assert chip.protect(b"", 0x9000) == h("990290008E08FA855A5D4C50A8ED")
    command = chip.unprotect(CommandApdu.parse(h("0CB000000D9701048E08ED6705417E96BA5500")))
    assert (command.ins, command.le) == (0xB0, 4)
    assert chip.protect(h("60145F01"), 0x9000) == h(
        "8709019FF0EC34F9922651990290008E08AD55CC17140B2DED"
    )


def test_a_tampered_response_mac_is_refused():
    channel = _session()
    channel.protect(CommandApdu(0x00, 0xA4, 0x02, 0x0C, h("011E")))
    with pytest.raises(SecureMessagingFailed):
        channel.unprotect(h("990290008E08FA855A5D4C50A8EE"), 0x9000)


def test_a_plain_answer_ends_the_session():
    channel = _session()
    channel.protect(CommandApdu(0x00, 0xB0, 0x00, 0x00, le=4))
    with pytest.raises(SecureMessagingFailed):
        channel.unprotect(b"", 0x6982)
