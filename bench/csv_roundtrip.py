"""The bare CSV round trip the ``classify`` CLI is measured against: read a CSV and write it back.

``--pandas`` (default): ``pd.read_csv(src)`` then ``df.to_csv(out, index=False)``; ``--pyarrow``:
``pyarrow.csv.read_csv`` then ``pyarrow.csv.write_csv``. Time it as a whole process, e.g.

    /usr/bin/time -v python bench/csv_roundtrip.py --pandas in.csv out.csv
    /usr/bin/time -v python -m layout classify in.csv -o out_zones.csv

(``python bench/cli.py --keep DIR`` writes a 1 M-row input, DIR/points.csv.)
"""

from __future__ import annotations

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--pandas", dest="mode", action="store_const", const="pandas", help="pandas (default)")
    mode.add_argument("--pyarrow", dest="mode", action="store_const", const="pyarrow", help="pyarrow's CSV module")
    parser.add_argument("src")
    parser.add_argument("out")
    args = parser.parse_args()
    if args.mode == "pyarrow":
        import pyarrow.csv as pacsv

        pacsv.write_csv(pacsv.read_csv(args.src), args.out)
    else:
        import pandas as pd

        pd.read_csv(args.src).to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
