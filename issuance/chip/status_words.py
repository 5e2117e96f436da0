"""What a card answers: ISO 7816-4 status words, one class each (in the manner of pyscard's
``ISO7816_4ErrorChecker``) so callers can react precisely; each carries sw1/sw2 and an operator
message in Albanian and English."""

from __future__ import annotations

from issuance.ports.card_reader_errors import CardReaderError


class CardNotBlank(CardReaderError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            "Karta nuk është bosh: është personalizuar ose kyçur tashmë.",
            f"The card is not blank: it is already personalised or locked ({detail}).",
        )


class ChipReadBackFailed(CardReaderError):
    """The written card failed a check; ``report`` holds every check and the APDU counts."""

    def __init__(self, detail: str, report: object = None) -> None:
        super().__init__(
            f"Verifikimi i çipit pas shkrimit dështoi: {detail}. Karta është e dëmtuar.",
            f"The chip failed verification after writing: {detail}. The card is spoiled.",
        )
        self.detail = detail
        self.report = report


class CardStatusError(CardReaderError):
    """The card answered a command with an error status word."""

    sq_text = "karta refuzoi komandën"
    en_text = "the card refused the command"

    def __init__(self, sw: int, command: str) -> None:
        super().__init__(
            f"{command}: {self.sq_text} (SW {sw:04X}).",
            f"{command}: {self.en_text} (SW {sw:04X}).",
        )
        self.sw = sw
        self.command = command


def _status(name: str, sq: str, en: str) -> type[CardStatusError]:
    return type(name, (CardStatusError,), {"sq_text": sq, "en_text": en, "__module__": __name__})


AuthenticationFailed = _status("AuthenticationFailed", "vërtetimi dështoi", "authentication failed")
WrongLength = _status("WrongLength", "gjatësi e gabuar", "wrong length")
SecurityStatusNotSatisfied = _status(
    "SecurityStatusNotSatisfied",
    "kushtet e sigurisë nuk plotësohen",
    "security status not satisfied",
)
ConditionsNotSatisfied = _status(
    "ConditionsNotSatisfied",
    "kushtet e përdorimit nuk plotësohen",
    "conditions of use not satisfied",
)
CommandNotAllowed = _status("CommandNotAllowed", "komanda nuk lejohet", "command not allowed")
SecureMessagingObjectsWrong = _status(
    "SecureMessagingObjectsWrong",
    "objektet e mesazheve të mbrojtura janë të gabuara",
    "secure messaging data objects are incorrect",
)
WrongData = _status("WrongData", "të dhëna të gabuara", "incorrect data")
FileNotFound = _status("FileNotFound", "skedari nuk u gjet", "file not found")
NotEnoughMemory = _status(
    "NotEnoughMemory", "nuk ka hapësirë të mjaftueshme", "not enough memory space"
)
FileAlreadyExists = _status("FileAlreadyExists", "skedari ekziston", "file already exists")
WrongOffset = _status("WrongOffset", "zhvendosje e gabuar", "wrong offset (P1-P2)")
WrongLe = _status("WrongLe", "gjatësi e gabuar e përgjigjes", "wrong expected length (Le)")
InstructionNotSupported = _status(
    "InstructionNotSupported", "komanda nuk mbështetet", "instruction not supported"
)
ClassNotSupported = _status("ClassNotSupported", "klasa nuk mbështetet", "class not supported")
NoPreciseDiagnosis = _status(
    "NoPreciseDiagnosis", "gabim i brendshëm i kartës", "card error without precise diagnosis"
)

_BY_SW: dict[int, type[CardStatusError]] = {
    0x6300: AuthenticationFailed,
    0x6700: WrongLength,
    0x6982: SecurityStatusNotSatisfied,
    0x6985: ConditionsNotSatisfied,
    0x6986: CommandNotAllowed,
    0x6987: SecureMessagingObjectsWrong,
    0x6988: SecureMessagingObjectsWrong,
    0x6A80: WrongData,
    0x6A82: FileNotFound,
    0x6A84: NotEnoughMemory,
    0x6A89: FileAlreadyExists,
    0x6B00: WrongOffset,
    0x6D00: InstructionNotSupported,
    0x6E00: ClassNotSupported,
}
_BY_SW1: dict[int, type[CardStatusError]] = {0x6C: WrongLe, 0x6F: NoPreciseDiagnosis}


def status_error(sw: int, command: str) -> CardStatusError:
    """The typed error for a status word."""
    cls = _BY_SW.get(sw) or _BY_SW1.get(sw >> 8) or CardStatusError
    return cls(sw, command)


def is_length_refusal(sw: int) -> bool:
    """Status words with which cards refuse a command that is too long for them."""
    return sw == 0x6700 or sw >> 8 in (0x6C, 0x6F)
