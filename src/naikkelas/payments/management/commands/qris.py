import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from naikkelas.core.qrimage import qr_png
from naikkelas.payments.qris import QrisError, decode, to_dynamic


class Command(BaseCommand):
    help = (
        "QRIS tools: `qris decode PAYLOAD` prints its fields as JSON; `qris dynamic PAYLOAD --amount N` prints "
        "the code for exactly N rupiah; `qris png PAYLOAD FILE` writes the code as a PNG image."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        decode_parser = sub.add_parser("decode", help="fields of a QRIS payload, as JSON")
        decode_parser.add_argument("payload")
        dynamic_parser = sub.add_parser("dynamic", help="a dynamic QRIS for an exact amount")
        dynamic_parser.add_argument("payload")
        dynamic_parser.add_argument("--amount", type=int, required=True, help="whole rupiah, e.g. 15000")
        png_parser = sub.add_parser("png", help="a QRIS payload as a PNG image, checked first")
        png_parser.add_argument("payload")
        png_parser.add_argument("file", help="where to write the PNG, e.g. qris.png")

    def handle(self, *args, action, payload, **options):
        try:
            if action == "decode":
                qris = decode(payload)
                summary = {
                    "dynamic": qris.is_dynamic,
                    "merchant_name": qris.merchant_name,
                    "city": qris.city,
                    "nmid": qris.nmid,
                    "criteria": qris.criteria,
                    "mcc": qris.mcc,
                    "amount": qris.amount,
                    "fields": qris.as_dict(),
                }
                self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            elif action == "dynamic":
                self.stdout.write(to_dynamic(payload, options["amount"]))
            else:
                self._png(payload, Path(options["file"]))
        except QrisError as error:
            raise CommandError(f"{error} ({error.code})") from error

    def _png(self, payload: str, file: Path) -> None:
        decode(payload)  # a code that would not scan as QRIS is refused before anything is written
        try:
            file.write_bytes(qr_png(payload.strip()))
        except OSError as error:
            raise CommandError(f"Tidak bisa menulis {file}: {error.strerror or error}") from error
        self.stdout.write(str(file))
