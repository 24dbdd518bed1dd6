"""Reference data for postal addresses: ISO 3166-1 alpha-2 codes with the French country
name La Poste expects on the last line of an international address (upper case, without
accents), the postal-code format of the countries Relance's creditors write to most, and
the French postal-code prefixes.

Postal-code formats are from the Universal Postal Union's addressing pages (S42) and the
national operators. A country listed in COUNTRY_NAMES_FR but neither in POSTAL_RULES nor in
NO_POSTAL_CODE is "known without a rule": its addresses come back "unverified".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Layouts of the locality line(s).
CODE_CITY = "code_city"  # "75011 PARIS", most of Europe
CITY_CODE = "city_code"  # "NEW YORK NY 10001", North America, Australia, Latvia, Malta
CITY_THEN_CODE = "city_then_code"  # UK, Ireland: post town, then the postcode on its own line

COUNTRY_NAMES_FR: dict[str, str] = {
    "AD": "ANDORRE", "AE": "EMIRATS ARABES UNIS", "AF": "AFGHANISTAN",
    "AG": "ANTIGUA-ET-BARBUDA", "AI": "ANGUILLA", "AL": "ALBANIE", "AM": "ARMENIE",
    "AO": "ANGOLA", "AQ": "ANTARCTIQUE", "AR": "ARGENTINE", "AS": "SAMOA AMERICAINES",
    "AT": "AUTRICHE", "AU": "AUSTRALIE", "AW": "ARUBA", "AX": "ILES ALAND", "AZ": "AZERBAIDJAN",
    "BA": "BOSNIE-HERZEGOVINE", "BB": "BARBADE", "BD": "BANGLADESH", "BE": "BELGIQUE",
    "BF": "BURKINA FASO", "BG": "BULGARIE", "BH": "BAHREIN", "BI": "BURUNDI", "BJ": "BENIN",
    "BL": "SAINT-BARTHELEMY", "BM": "BERMUDES", "BN": "BRUNEI", "BO": "BOLIVIE",
    "BQ": "BONAIRE SAINT-EUSTACHE ET SABA", "BR": "BRESIL", "BS": "BAHAMAS", "BT": "BHOUTAN",
    "BV": "ILE BOUVET", "BW": "BOTSWANA", "BY": "BIELORUSSIE", "BZ": "BELIZE", "CA": "CANADA",
    "CC": "ILES COCOS", "CD": "REPUBLIQUE DEMOCRATIQUE DU CONGO",
    "CF": "REPUBLIQUE CENTRAFRICAINE", "CG": "CONGO", "CH": "SUISSE", "CI": "COTE D'IVOIRE",
    "CK": "ILES COOK", "CL": "CHILI", "CM": "CAMEROUN", "CN": "CHINE", "CO": "COLOMBIE",
    "CR": "COSTA RICA", "CU": "CUBA", "CV": "CAP-VERT", "CW": "CURACAO", "CX": "ILE CHRISTMAS",
    "CY": "CHYPRE", "CZ": "TCHEQUIE", "DE": "ALLEMAGNE", "DJ": "DJIBOUTI", "DK": "DANEMARK",
    "DM": "DOMINIQUE", "DO": "REPUBLIQUE DOMINICAINE", "DZ": "ALGERIE", "EC": "EQUATEUR",
    "EE": "ESTONIE", "EG": "EGYPTE", "EH": "SAHARA OCCIDENTAL", "ER": "ERYTHREE",
    "ES": "ESPAGNE", "ET": "ETHIOPIE", "FI": "FINLANDE", "FJ": "FIDJI", "FK": "ILES MALOUINES",
    "FM": "MICRONESIE", "FO": "ILES FEROE", "FR": "FRANCE", "GA": "GABON", "GB": "ROYAUME-UNI",
    "GD": "GRENADE", "GE": "GEORGIE", "GF": "GUYANE FRANCAISE", "GG": "GUERNESEY",
    "GH": "GHANA", "GI": "GIBRALTAR", "GL": "GROENLAND", "GM": "GAMBIE", "GN": "GUINEE",
    "GP": "GUADELOUPE", "GQ": "GUINEE EQUATORIALE", "GR": "GRECE",
    "GS": "GEORGIE DU SUD ET ILES SANDWICH DU SUD", "GT": "GUATEMALA", "GU": "GUAM",
    "GW": "GUINEE-BISSAU", "GY": "GUYANA", "HK": "HONG KONG", "HM": "ILES HEARD ET MCDONALD",
    "HN": "HONDURAS", "HR": "CROATIE", "HT": "HAITI", "HU": "HONGRIE", "ID": "INDONESIE",
    "IE": "IRLANDE", "IL": "ISRAEL", "IM": "ILE DE MAN", "IN": "INDE",
    "IO": "TERRITOIRE BRITANNIQUE DE L'OCEAN INDIEN", "IQ": "IRAK", "IR": "IRAN",
    "IS": "ISLANDE", "IT": "ITALIE", "JE": "JERSEY", "JM": "JAMAIQUE", "JO": "JORDANIE",
    "JP": "JAPON", "KE": "KENYA", "KG": "KIRGHIZISTAN", "KH": "CAMBODGE", "KI": "KIRIBATI",
    "KM": "COMORES", "KN": "SAINT-CHRISTOPHE-ET-NIEVES", "KP": "COREE DU NORD",
    "KR": "COREE DU SUD", "KW": "KOWEIT", "KY": "ILES CAIMANS", "KZ": "KAZAKHSTAN",
    "LA": "LAOS", "LB": "LIBAN", "LC": "SAINTE-LUCIE", "LI": "LIECHTENSTEIN", "LK": "SRI LANKA",
    "LR": "LIBERIA", "LS": "LESOTHO", "LT": "LITUANIE", "LU": "LUXEMBOURG", "LV": "LETTONIE",
    "LY": "LIBYE", "MA": "MAROC", "MC": "MONACO", "MD": "MOLDAVIE", "ME": "MONTENEGRO",
    "MF": "SAINT-MARTIN", "MG": "MADAGASCAR", "MH": "ILES MARSHALL", "MK": "MACEDOINE DU NORD",
    "ML": "MALI", "MM": "MYANMAR", "MN": "MONGOLIE", "MO": "MACAO",
    "MP": "ILES MARIANNES DU NORD", "MQ": "MARTINIQUE", "MR": "MAURITANIE", "MS": "MONTSERRAT",
    "MT": "MALTE", "MU": "MAURICE", "MV": "MALDIVES", "MW": "MALAWI", "MX": "MEXIQUE",
    "MY": "MALAISIE", "MZ": "MOZAMBIQUE", "NA": "NAMIBIE", "NC": "NOUVELLE-CALEDONIE",
    "NE": "NIGER", "NF": "ILE NORFOLK", "NG": "NIGERIA", "NI": "NICARAGUA", "NL": "PAYS-BAS",
    "NO": "NORVEGE", "NP": "NEPAL", "NR": "NAURU", "NU": "NIUE", "NZ": "NOUVELLE-ZELANDE",
    "OM": "OMAN", "PA": "PANAMA", "PE": "PEROU", "PF": "POLYNESIE FRANCAISE",
    "PG": "PAPOUASIE-NOUVELLE-GUINEE", "PH": "PHILIPPINES", "PK": "PAKISTAN", "PL": "POLOGNE",
    "PM": "SAINT-PIERRE-ET-MIQUELON", "PN": "PITCAIRN", "PR": "PORTO RICO", "PS": "PALESTINE",
    "PT": "PORTUGAL", "PW": "PALAOS", "PY": "PARAGUAY", "QA": "QATAR", "RE": "LA REUNION",
    "RO": "ROUMANIE", "RS": "SERBIE", "RU": "RUSSIE", "RW": "RWANDA", "SA": "ARABIE SAOUDITE",
    "SB": "ILES SALOMON", "SC": "SEYCHELLES", "SD": "SOUDAN", "SE": "SUEDE", "SG": "SINGAPOUR",
    "SH": "SAINTE-HELENE", "SI": "SLOVENIE", "SJ": "SVALBARD ET JAN MAYEN", "SK": "SLOVAQUIE",
    "SL": "SIERRA LEONE", "SM": "SAINT-MARIN", "SN": "SENEGAL", "SO": "SOMALIE",
    "SR": "SURINAME", "SS": "SOUDAN DU SUD", "ST": "SAO TOME ET PRINCIPE", "SV": "EL SALVADOR",
    "SX": "SAINT-MARTIN PARTIE NEERLANDAISE", "SY": "SYRIE", "SZ": "ESWATINI",
    "TC": "ILES TURKS ET CAICOS", "TD": "TCHAD", "TF": "TERRES AUSTRALES FRANCAISES",
    "TG": "TOGO", "TH": "THAILANDE", "TJ": "TADJIKISTAN", "TK": "TOKELAU",
    "TL": "TIMOR ORIENTAL", "TM": "TURKMENISTAN", "TN": "TUNISIE", "TO": "TONGA",
    "TR": "TURQUIE", "TT": "TRINITE-ET-TOBAGO", "TV": "TUVALU", "TW": "TAIWAN",
    "TZ": "TANZANIE", "UA": "UKRAINE", "UG": "OUGANDA",
    "UM": "ILES MINEURES ELOIGNEES DES ETATS-UNIS", "US": "ETATS-UNIS", "UY": "URUGUAY",
    "UZ": "OUZBEKISTAN", "VA": "VATICAN", "VC": "SAINT-VINCENT-ET-LES-GRENADINES",
    "VE": "VENEZUELA", "VG": "ILES VIERGES BRITANNIQUES", "VI": "ILES VIERGES DES ETATS-UNIS",
    "VN": "VIETNAM", "VU": "VANUATU", "WF": "WALLIS-ET-FUTUNA", "WS": "SAMOA", "XK": "KOSOVO",
    "YE": "YEMEN", "YT": "MAYOTTE", "ZA": "AFRIQUE DU SUD", "ZM": "ZAMBIE", "ZW": "ZIMBABWE",
}


@dataclass(frozen=True, slots=True)
class PostalRule:
    """A postal-code format: `pattern` must match the whole code (upper case, spaces
    collapsed); the canonical form is `lead` + the pattern's groups joined by `sep` (or the
    whole match when the pattern has no group). `prefixes` are national prefixes people
    still write before the code ("D-80331", "CH-8001"), removed with a change noted."""

    pattern: re.Pattern[str]
    example: str
    sep: str = ""
    lead: str = ""
    layout: str = CODE_CITY
    optional: bool = False
    prefixes: tuple[str, ...] = ()

    def canonical(self, code: str) -> str | None:
        match = self.pattern.fullmatch(code)
        if match is None:
            return None
        groups = [g for g in match.groups() if g]
        return self.lead + (self.sep.join(groups) if groups else match.group(0))


def _rule(pattern: str, example: str, **kw: object) -> PostalRule:
    return PostalRule(re.compile(pattern), example, **kw)  # type: ignore[arg-type]


POSTAL_RULES: dict[str, PostalRule] = {
    # European Union
    "AT": _rule(r"[1-9]\d{3}", "1010", prefixes=("A", "AT")),
    "BE": _rule(r"[1-9]\d{3}", "1000", prefixes=("B", "BE")),
    "BG": _rule(r"\d{4}", "1000", prefixes=("BG",)),
    "CY": _rule(r"\d{4}", "1010", prefixes=("CY",)),
    "CZ": _rule(r"(\d{3}) ?(\d{2})", "110 00", sep=" ", prefixes=("CZ",)),
    "DE": _rule(r"\d{5}", "80331", prefixes=("D", "DE")),
    "DK": _rule(r"\d{4}", "1050", prefixes=("DK",)),
    "EE": _rule(r"\d{5}", "10111", prefixes=("EE",)),
    "ES": _rule(r"(?:0[1-9]|[1-4]\d|5[0-2])\d{3}", "28001", prefixes=("E", "ES")),
    "FI": _rule(r"\d{5}", "00100", prefixes=("FI", "FIN")),
    "GR": _rule(r"(\d{3}) ?(\d{2})", "105 57", sep=" ", prefixes=("GR",)),
    "HR": _rule(r"[1-5]\d{4}", "10000", prefixes=("HR",)),
    "HU": _rule(r"[1-9]\d{3}", "1051", prefixes=("H", "HU")),
    "IE": _rule(r"([AC-FHKNPRTV-Y]\d{2}|D6W) ?([0-9AC-FHKNPRTV-Y]{4})", "D02 X285", sep=" ",
                layout=CITY_THEN_CODE, optional=True),
    "IT": _rule(r"\d{5}", "00184", prefixes=("I", "IT")),
    "LT": _rule(r"(?:LT-?)?(\d{5})", "LT-01100", lead="LT-"),
    "LU": _rule(r"(?:L-?)?(\d{4})", "L-1130", lead="L-"),
    "LV": _rule(r"(?:LV-?)?(\d{4})", "LV-1050", lead="LV-", layout=CITY_CODE),
    "MT": _rule(r"([A-Z]{3}) ?(\d{4})", "VLT 1117", sep=" ", layout=CITY_CODE),
    "NL": _rule(r"([1-9]\d{3}) ?([A-Z]{2})", "1012 AB", sep=" ", prefixes=("NL",)),
    "PL": _rule(r"(\d{2})-?(\d{3})", "00-950", sep="-", prefixes=("PL",)),
    "PT": _rule(r"(\d{4})-?(\d{3})", "1000-001", sep="-", prefixes=("P", "PT")),
    "RO": _rule(r"\d{6}", "010011", prefixes=("RO",)),
    "SE": _rule(r"(\d{3}) ?(\d{2})", "113 51", sep=" ", prefixes=("S", "SE")),
    "SI": _rule(r"(?:SI-?)?(\d{4})", "1000"),
    "SK": _rule(r"(\d{3}) ?(\d{2})", "811 01", sep=" ", prefixes=("SK",)),
    # Rest of Europe
    "AD": _rule(r"AD ?(\d{3})", "AD500", lead="AD"),
    "AL": _rule(r"\d{4}", "1001"),
    "BA": _rule(r"\d{5}", "71000"),
    "CH": _rule(r"[1-9]\d{3}", "8001", prefixes=("CH",)),
    "FO": _rule(r"\d{3}", "100", prefixes=("FO",)),
    "GB": _rule(r"(GIR|[A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})", "SW1A 1AA", sep=" ",
                layout=CITY_THEN_CODE),
    "GG": _rule(r"(GY\d[\dA-Z]?) ?(\d[A-Z]{2})", "GY1 1AA", sep=" ", layout=CITY_THEN_CODE),
    "GL": _rule(r"39\d{2}", "3900"),
    "IM": _rule(r"(IM\d[\dA-Z]?) ?(\d[A-Z]{2})", "IM1 1AA", sep=" ", layout=CITY_THEN_CODE),
    "IS": _rule(r"\d{3}", "101", prefixes=("IS",)),
    "JE": _rule(r"(JE\d[\dA-Z]?) ?(\d[A-Z]{2})", "JE2 3AB", sep=" ", layout=CITY_THEN_CODE),
    "LI": _rule(r"94(?:8[5-9]|9[0-8])", "9490", prefixes=("FL", "LI")),
    "MC": _rule(r"980\d{2}", "98000", prefixes=("MC",)),
    "MD": _rule(r"(?:MD-?)?(\d{4})", "MD-2001", lead="MD-"),
    "ME": _rule(r"\d{5}", "81000"),
    "MK": _rule(r"\d{4}", "1000"),
    "NO": _rule(r"\d{4}", "0150", prefixes=("N", "NO")),
    "RS": _rule(r"\d{5}", "11000"),
    "SM": _rule(r"4789\d", "47890"),
    "TR": _rule(r"\d{5}", "34000"),
    "UA": _rule(r"\d{5}", "01001"),
    "VA": _rule(r"00120", "00120"),
    # Maghreb and Africa
    "DZ": _rule(r"\d{5}", "16000"),
    "EG": _rule(r"\d{5}", "11511"),
    "MA": _rule(r"\d{5}", "20000"),
    "MG": _rule(r"\d{3}", "101"),
    "MU": _rule(r"\d{5}", "11302"),
    "SN": _rule(r"\d{5}", "10200"),
    "TN": _rule(r"\d{4}", "1000"),
    "ZA": _rule(r"\d{4}", "2000"),
    # Americas
    "BR": _rule(r"(\d{5})-?(\d{3})", "01310-100", sep="-"),
    "CA": _rule(r"([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]) ?(\d[ABCEGHJ-NPRSTV-Z]\d)", "K1A 0B1",
                sep=" ", layout=CITY_CODE),
    "MX": _rule(r"\d{5}", "06500"),
    "US": _rule(r"(\d{5})(?:-?(\d{4}))?", "10001", sep="-", layout=CITY_CODE),
    # Asia and Oceania
    "AU": _rule(r"\d{4}", "2000", layout=CITY_CODE),
    "CN": _rule(r"\d{6}", "100000"),
    "IL": _rule(r"\d{7}", "6100000"),
    "IN": _rule(r"[1-9]\d{5}", "110001"),
    "JP": _rule(r"(\d{3})-?(\d{4})", "100-0001", sep="-"),
    "KR": _rule(r"\d{5}", "03171"),
    "NZ": _rule(r"\d{4}", "6011", layout=CITY_CODE),
    "RU": _rule(r"\d{6}", "101000"),
    "SG": _rule(r"\d{6}", "018956", layout=CITY_CODE),
    "TH": _rule(r"\d{5}", "10200"),
}

# Countries whose addresses have no postal code (UPU).
NO_POSTAL_CODE: frozenset[str] = frozenset("""
    AE AG AO AW BF BI BJ BO BS BW BZ CD CF CG CI CK CM DJ DM ER FJ GA GD GH GM GQ GY HK KI KM
    KN KP LC ML MO MR MW NR NU QA RW SB SC SL SR ST SY TG TK TL TO TV UG VU YE ZW
""".split())

# French overseas territories addressed as France (domestic mail, French postal codes):
# the code each uses. A country given as one of these is read as FR.
FRENCH_TERRITORY_PREFIX: dict[str, str] = {
    "GP": "971", "MQ": "972", "GF": "973", "RE": "974", "PM": "975", "YT": "976",
    "BL": "97133", "MF": "97150", "TF": "984", "WF": "986", "PF": "987", "NC": "988",
}

# Overseas and Corsican départements and collectivités, for messages.
FRENCH_AREA_NAMES: dict[str, str] = {
    "2A": "Corse-du-Sud", "2B": "Haute-Corse", "971": "Guadeloupe", "972": "Martinique",
    "973": "Guyane", "974": "La Réunion", "975": "Saint-Pierre-et-Miquelon", "976": "Mayotte",
    "984": "Terres australes et antarctiques françaises", "986": "Wallis-et-Futuna",
    "987": "Polynésie française", "988": "Nouvelle-Calédonie",
}

_OVERSEAS = frozenset({"971", "972", "973", "974", "975", "976", "984", "986", "987", "988"})


def french_area(code: str) -> str | None:
    """The département (or overseas collectivité) a 5-digit French postal code belongs to:
    "75", "2A", "974"... "MC" for Monaco's 980xx, None when no area uses the prefix."""
    d2 = code[:2]
    if "01" <= d2 <= "19" or "21" <= d2 <= "95":
        return d2
    if d2 == "20":
        number = int(code)
        if number < 20200:
            return "2A"
        return "2B" if number < 20700 else None
    d3 = code[:3]
    if d3 in _OVERSEAS:
        return d3
    if d3 == "980":
        return "MC"
    return None


# Large communes whose name is unique in France, with their département: a postal code from
# another département is a mismatch. (A full check needs La Poste's base of codes.)
CITY_AREAS: dict[str, str] = {
    "PARIS": "75", "MARSEILLE": "13", "LYON": "69", "TOULOUSE": "31", "NICE": "06",
    "NANTES": "44", "MONTPELLIER": "34", "STRASBOURG": "67", "BORDEAUX": "33", "LILLE": "59",
    "RENNES": "35", "GRENOBLE": "38", "AJACCIO": "2A", "BASTIA": "2B",
    "FORT DE FRANCE": "972", "CAYENNE": "973", "POINTE A PITRE": "971", "MAMOUDZOU": "976",
    "NOUMEA": "988", "PAPEETE": "987",
}
