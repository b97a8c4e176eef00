"""How region names are compared: lower case, no administrative prefix, single spaces.

"Kab. Sleman", "KABUPATEN  SLEMAN" and "sleman" all become "sleman"; "Kota Yogyakarta" becomes "yogyakarta".
Shared by the loader (which stores the form in Region.search_name), the picker and the importer.
"""

import re
import unicodedata

_PREFIXES = re.compile(
    r"^(?:kabupaten|kab\.?|kota adm(?:inistrasi)?\.?|kota|kec\.?|kecamatan|kel\.?|kelurahan|desa|ds\.?|"
    r"provinsi|prov\.?|daerah khusus ibukota|daerah istimewa|dki|diy)\s+"
)


def search_form(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9.\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = _PREFIXES.sub("", text).strip()
    return text.replace(".", "").strip()
