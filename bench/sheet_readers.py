"""Which library reads a workbook for `kimu import` (issue 17): python-calamine against openpyxl.

    python bench/sheet_readers.py [--rows 100000] [--repeat 3]

Writes an attendance sheet of --rows rows (ref, date as a date cell, status, hours as a number,
note: the columns and values of bench/import_bench.py) with kimu's own xlsx writer, and the same
sheet saved again by LibreOffice when `soffice` is installed (shared strings and styles, as Excel
and LibreOffice write them). Then times, each in a fresh process, opening the first sheet and
reading every row as Python values, with python-calamine and with openpyxl (read-only mode,
values only, the fastest it has). Prints the median time and the peak RSS of each. openpyxl is
not a dependency of kimu: install it to compare (`pip install openpyxl`; the test extras have it).
"""

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import import_bench

import bench  # run_once: a fresh process's time and peak RSS

READERS = {
    "python-calamine": """
import sys, python_calamine
sheet = python_calamine.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0)
rows = sum(1 for _ in sheet.iter_rows())
""",
    "openpyxl (read_only)": """
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
rows = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
""",
}


def workbooks(folder, rows):
    """{label: path} of the sheets to read."""
    import csv
    from datetime import date

    from kimu_cli import xlsx

    _, attendance = import_bench.generate(folder, rows)
    kimu_file = folder / "attendance.xlsx"
    with open(attendance, encoding="utf-8", newline="") as f, open(kimu_file, "wb") as out:
        reader = csv.reader(f)
        columns = next(reader)
        cells = ((ref, date(int(d[6:]), int(d[3:5]), int(d[:2])).isoformat(), status,
                  float(hours.replace(",", ".")) if hours else None, note or None)
                 for ref, d, status, hours, note in reader)
        xlsx.write(out, "Oppmøte", columns, cells, {"dato"})
    found = {"written by kimu": kimu_file}
    soffice = shutil.which("soffice")
    if soffice:
        saved = folder / "libreoffice"
        subprocess.run([soffice, f"-env:UserInstallation=file://{folder}/profile", "--headless", "--convert-to", "xlsx",
                        "--outdir", str(saved), str(kimu_file)], check=True, capture_output=True)
        found["saved by LibreOffice"] = saved / kimu_file.name
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="kimu-sheet-readers-"))
    env = {"PATH": "/usr/bin:/bin"}
    try:
        print(f"{'workbook':<24}{'reader':<24}{'seconds':>9}{'peak MiB':>10}")
        for label, path in workbooks(folder, args.rows).items():
            for reader, code in READERS.items():
                argv = [sys.executable, "-c", code, str(path)]
                first = bench.run_once(argv, env)
                if first[2] != 0:
                    print(f"{label:<24}{reader:<24}{'n/a: ' + first[3].splitlines()[-1][:40]:>19}")
                    continue
                runs = [bench.run_once(argv, env) for _ in range(args.repeat)]
                seconds = statistics.median(r[0] for r in runs)
                print(f"{label:<24}{reader:<24}{seconds:>9.2f}{max(r[1] for r in runs):>10.0f}")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
