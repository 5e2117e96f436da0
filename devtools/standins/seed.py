"""Demo residents and coupons for the stand-ins (fictitious people; no real data).

Permits are dated relative to the day the sandbox starts, so a "valid" permit stays valid.
Coupons (fees in `vouchers.DEMO_FEES`):

| code          | state                                           |
| ------------- | ----------------------------------------------- |
| PSH1000000..  | paid STANDARD (6000), available (PSH10000001–20) |
| PSH2000000..  | paid URGENT (9000), available (PSH20000001–05)   |
| PSH3000000..  | paid REPLACEMENT (7500), available (…01–05)      |
| PSH5000000..  | paid RENEWAL (6500), available (…01–05)          |
| PSH40000001   | not paid                                        |
| PSH40000002   | paid 5000 lek: fits no card type                |
| PSH40000003   | used (consumed by application APP-DEMO-1)       |
| PSH40000004   | reserved by application APP-DEMO-2              |
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from devtools.standins.fer import PermitEntry
from devtools.standins.vouchers import DEMO_FEES, Coupon
from issuance.domain.identity import nid

# surname, given names, father, mother, sex, birth, place of birth, nationality, passport,
# address, permit type, kind (valid / expired / revoked), has NID, holds a valid card
_RESIDENTS: list[tuple] = [
    ("Çela", "Ëndrit", "Agron", "Drita", "M", "1990-04-12", "Prishtinë", "RKS",
     "P01234567", "Rr. Myslym Shyri 12, Tiranë", "TEMPORARY_WORK", "valid", False, False),
    ("Krasniqi", "Blerina", "Fatmir", "Shpresë", "F", "1988-11-02", "Pejë", "RKS",
     "P07654321", "Rr. e Durrësit 45, Tiranë", "TEMPORARY_FAMILY", "valid", True, False),
    ("García López", "María José", "José Luis", "Carmen", "F", "1985-07-30", "Sevilla", "ESP",
     "PAB123456", "Bulevardi Zogu I 8, Tiranë", "TEMPORARY_WORK", "valid", False, False),
    ("Van der Berg", "Johannes Pieter", "Hendrik", "Anneke", "M", "1979-01-15", "Utrecht",
     "NLD", "NX4RT5678", "Rr. Ismail Qemali 3, Tiranë", "PERMANENT", "valid", True, True),
    ("Rossi", "Giulia", "Marco", "Francesca", "F", "1992-03-08", "Bari", "ITA",
     "YA1234567", "Lungomare, Vlorë", "TEMPORARY_WORK", "valid", False, False),
    ("Papadopoulos", "Nikolaos", "Georgios", "Eleni", "M", "1975-09-21", "Ioannina", "GRC",
     "AE9876543", "Rr. Skënderbeu 5, Gjirokastër", "PERMANENT", "valid", True, False),
    ("Yılmaz", "Ayşe", "Mehmet", "Fatma", "F", "1991-06-14", "İzmir", "TUR",
     "U12345678", "Rr. Kavajës 101, Tiranë", "TEMPORARY_WORK", "valid", False, False),
    ("Müller", "Jürgen", "Klaus", "Ursula", "M", "1968-12-01", "München", "D<<",
     "C01X00T47", "Rr. Butrinti 2, Sarandë", "PERMANENT", "valid", False, False),
    ("Smith", "Oliver James", "Robert", "Elizabeth", "M", "1983-05-19", "Leeds", "GBR",
     "123456789", "Rr. Pjetër Bogdani 9, Tiranë", "TEMPORARY_OTHER", "valid", False, False),
    ("Johnson", "Emily Grace", "Michael", "Sarah", "F", "1995-08-25", "Denver", "USA",
     "548912376", "Rr. Abdyl Frashëri 14, Tiranë", "TEMPORARY_STUDY", "valid", False, False),
    ("Wang", "Li", "Wang Jun", "Zhang Hua", "M", "1987-02-28", "Zhejiang", "CHN",
     "E12345678", "Rr. e Elbasanit 66, Tiranë", "TEMPORARY_WORK", "valid", False, False),
    ("Dela Cruz", "Maria Cristina", "Jose", "Rosario", "F", "1990-10-10", "Cebu", "PHL",
     "P1234567A", "Rr. Sami Frashëri 20, Tiranë", "TEMPORARY_WORK", "valid", False, False),
    ("Shevchenko", "Olena", "Petro", "Iryna", "F", "1986-04-04", "Kharkiv", "UKR",
     "FA123456", "Rr. Ibrahim Rugova 7, Tiranë", "TEMPORARY_OTHER", "valid", False, False),
    ("Ivanov", "Dmitri", "Sergei", "Natalia", "M", "1980-07-07", "Kazan", "RUS",
     "721234567", "Rr. Naim Frashëri 30, Durrës", "TEMPORARY_FAMILY", "valid", False, False),
    ("Hassan", "Ahmed", "Mahmoud", "Amina", "M", "1993-01-23", "Alexandria", "EGY",
     "A12345678", "Rr. Tregtare 4, Shkodër", "TEMPORARY_STUDY", "valid", False, False),
    ("Petrović", "Milica", "Dragan", "Jelena", "F", "1989-09-09", "Novi Sad", "SRB",
     "012345678", "Rr. Kolë Idromeno 11, Shkodër", "TEMPORARY_WORK", "valid", False, False),
    ("Rahman", "Mohammad Abdur", "Abdul", "Rokeya", "M", "1994-12-12", "Sylhet", "BGD",
     "BX0123456", "Rr. Dritan Hoxha 2, Tiranë", "TEMPORARY_WORK", "valid", False, False),
    ("Sharma", "Priya", "Rajesh", "Sunita", "F", "1996-02-02", "Jaipur", "IND",
     "K1234567", "Rr. Barrikadave 18, Tiranë", "TEMPORARY_STUDY", "valid", False, False),
    ("Al-Hassan", "Omar", "Khaled", "Rania", "M", "1984-08-08", "Aleppo", "SYR",
     "N01234567", "Rr. Hamdi Sina 3, Tiranë", "TEMPORARY_OTHER", "valid", False, False),
    ("Dos Santos Silva", "João Pedro", "Carlos", "Ana Paula", "M", "1991-11-11", "Recife", "BRA",
     "FG123456", "Rr. Riza Cerova 6, Tiranë", "TEMPORARY_WORK", "valid", False, False),
    ("Lefèvre", "Françoise", "Jean-Pierre", "Céline", "F", "1977-03-03", "Lyon", "FRA",
     "19AB12345", "Rr. Ismail Qemali 40, Tiranë", "PERMANENT", "valid", True, False),
    ("Kowalska", "Zofia", "Andrzej", "Małgorzata", "F", "1990-05-05", "Kraków", "POL",
     "EA1234567", "Rr. Luigj Gurakuqi 1, Shkodër", "TEMPORARY_FAMILY", "valid", False, False),
    ("Popescu", "Andrei", "Ion", "Maria", "M", "1982-06-06", "Cluj-Napoca", "ROU",
     "051234567", "Rr. Taulantia 9, Durrës", "TEMPORARY_WORK", "valid", False, False),
    ("Trajkovski", "Goran", "Zoran", "Vesna", "M", "1978-10-30", "Ohrid", "MKD",
     "A1234567", "Rr. Rinia 3, Pogradec", "PERMANENT", "valid", False, True),
    ("Vuković", "Ana", "Milan", "Dragana", "F", "1997-07-17", "Podgorica", "MNE",
     "0123456", "Rr. Marin Barleti 5, Shkodër", "TEMPORARY_STUDY", "valid", False, False),
    ("Gashi", "Arbër", "Ilir", "Mimoza", "M", "1999-01-31", "Gjakovë", "RKS",
     "P02468135", "Rr. Kongresi i Lushnjës 8, Lushnjë", "TEMPORARY_STUDY", "valid", False, False),
    ("Hoxha", "Ëmira", "Bekim", "Lumturije", "F", "1993-02-14", "Mitrovicë", "RKS",
     "P03691472", "Rr. Çamëria 21, Tiranë", "TEMPORARY_FAMILY", "valid", False, False),
    ("Berisha", "Çlirim", "Xhevdet", "Hanife", "M", "1970-12-24", "Prizren", "RKS",
     "P04812345", "Rr. Çlirimi 2, Kukës", "TEMPORARY_WORK", "expired", False, False),
    ("Schneider", "Anna-Lena", "Thomas", "Sabine", "F", "1987-03-27", "Köln", "D<<",
     "C4F5G6H78", "Rr. Mujo Ulqinaku 4, Tiranë", "TEMPORARY_WORK", "expired", False, False),
    ("O'Brien", "Seán", "Patrick", "Siobhán", "M", "1981-09-13", "Cork", "IRL",
     "PA1234567", "Rr. Nikolla Tupe 1, Tiranë", "TEMPORARY_OTHER", "expired", False, False),
    ("Ramadani", "Fitore", "Besim", "Ganimete", "F", "1992-08-19", "Tetovë", "MKD",
     "B7654321", "Rr. Pavarësia 15, Elbasan", "TEMPORARY_WORK", "revoked", False, False),
    ("Kovačević", "Marko", "Stjepan", "Ivana", "M", "1985-05-25", "Split", "HRV",
     "112233445", "Rr. Tirana 3, Korçë", "TEMPORARY_WORK", "revoked", False, False),
    ("Nguyễn", "Thị Lan", "Văn Hùng", "Thị Mai", "F", "1994-04-30", "Hà Nội", "VNM",
     "C1234567", "Rr. Myslym Shyri 50, Tiranë", "TEMPORARY_WORK", "valid", False, False),
]

# Permit number of the one record stored decomposed (NFD), as some feeding systems do:
# clients must hand it on in NFC.
NFD_PERMIT = "RP20240027"


def demo_permits(today: dt.date) -> list[PermitEntry]:
    """The demo residents' permits; permit numbers are RP2024 followed by a 4-digit index."""
    permits = []
    for i, row in enumerate(_RESIDENTS, start=1):
        (surname, given, father, mother, sex, birth, place, nat, passport, address,
         permit_type, kind, has_nid, holds_card) = row
        birth_date = dt.date.fromisoformat(birth)
        if kind == "expired":
            valid_from, valid_until = today - dt.timedelta(days=800), today - dt.timedelta(days=35)
        else:
            valid_from, valid_until = today - dt.timedelta(days=100 + i), \
                today + dt.timedelta(days=300 + 20 * i)
        number = f"RP2024{i:04d}"
        if number == NFD_PERMIT:
            surname, given = (unicodedata.normalize("NFD", s) for s in (surname, given))
        permits.append(PermitEntry(
            permit_number=number, surname=surname, given_names=given, father_name=father,
            mother_name=mother, sex=sex, birth_date=birth_date, place_of_birth=place,
            nationality=nat, passport_number=passport, address=address,
            permit_type=permit_type, valid_from=valid_from, valid_until=valid_until,
            revoked=kind == "revoked",
            nid=nid.compose(birth_date, sex, i) if has_nid else None,
            holds_valid_card=holds_card,
        ))
    return permits


def demo_coupons() -> list[Coupon]:
    paid_at = "2024-05-02T09:30:00+02:00"
    coupons = []
    for prefix, card_type, count in (("PSH1", "STANDARD", 20), ("PSH2", "URGENT", 5),
                                     ("PSH3", "REPLACEMENT", 5), ("PSH5", "RENEWAL", 5)):
        coupons += [Coupon(f"{prefix}{n:07d}", DEMO_FEES[card_type], True, paid_at)
                    for n in range(1, count + 1)]
    coupons += [
        Coupon("PSH40000001", DEMO_FEES["STANDARD"], False),
        Coupon("PSH40000002", 5000, True, paid_at),
        Coupon("PSH40000003", DEMO_FEES["STANDARD"], True, paid_at, "CONSUMED", "APP-DEMO-1"),
        Coupon("PSH40000004", DEMO_FEES["STANDARD"], True, paid_at, "RESERVED", "APP-DEMO-2"),
    ]
    return coupons
