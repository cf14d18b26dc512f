"""Peak memory of a worker checking a zip bomb disguised as an ODT.

    .venv/bin/python bench/upload_bomb.py [--inflated-mb 400]

Builds an ODT-looking archive whose `mimetype` member inflates to --inflated-mb megabytes,
then, each in a fresh process, checks it with practices.submit.uploads.check_upload and,
for comparison, inflates the member whole (what the check did before it read the archive's
directory first). Prints the peak resident memory (ru_maxrss) of each process.
"""

import argparse
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(path, inflated):
    prefix = b"application/vnd.oasis.opendocument.text"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=False) as handle:
            handle.write(prefix)
            chunk, written = b" " * (1 << 20), len(prefix)
            while written < inflated:
                piece = chunk[: inflated - written]
                handle.write(piece)
                written += len(piece)
        archive.writestr("content.xml", "<office/>")


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(mode, path):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings.test")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from practices.submit import uploads

    data = Path(path).read_bytes()
    before = peak_mb()
    started = time.perf_counter()
    if mode == "check":
        kind, error = uploads.check_upload(SimpleUploadedFile("bomb.odt", data))
        outcome = "refused" if error else f"accepted as {kind}"
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            outcome = f"inflated {len(archive.read('mimetype')) / 1e6:.0f} MB"
    elapsed = time.perf_counter() - started
    print(f"{mode}\t{outcome}\t{before:.0f}\t{peak_mb():.0f}\t{elapsed * 1000:.0f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--inflated-mb", type=int, default=400)
    parser.add_argument("--measure", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bomb.odt"
        build(path, args.inflated_mb * 1024 * 1024)
        print(
            f"archive: {path.stat().st_size / 1e6:.2f} MB, mimetype inflates to "
            f"{args.inflated_mb} MB; load: {os.getloadavg()[0]:.2f}"
        )
        print("mode\toutcome\tpeak RSS before (MB)\tpeak RSS after (MB)\ttime (ms)")
        for mode in ("check", "inflate"):
            subprocess.run([sys.executable, __file__, "--measure", mode, str(path)], check=True)


if __name__ == "__main__":
    main()
