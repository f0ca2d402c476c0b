#!/usr/bin/env python3
"""Reference implementation of the ledger job: the oracle the tests compare the C++ job with.

It implements the whole behaviour contract (SPEC.md) plainly, with no MPI, no parallelism and no speed
tricks, so that each rule can be checked by reading it once. Money is Python int at a decimal scale
(never float); instants are int nanoseconds since 1970 computed with our own civil-date arithmetic
(datetime cannot represent year 0000, which the job accepts).

Files are decoded as latin-1: one character per byte, any byte sequence decodes, and encoding back gives
the same bytes. Ids are opaque byte strings, byte lengths are string lengths, and output is byte-exact
even for input that is not valid UTF-8.

Decisions where the spec is silent (the lead's, plus those this file had to make) are marked DECISION.

Usage: reference_ledger.py --accounts A --transactions T [--transactions T2 ...] --output OUT
                           [--rejected R] [--on-bad-row fail|skip] [--quarantine Q]
Exit codes: 0 ok, 2 bad command line, 3 bad input, 4 I/O error, 5 internal error.
"""

import argparse
import os
import re
import sys
from dataclasses import dataclass

EXIT_USAGE, EXIT_BAD_INPUT, EXIT_IO, EXIT_INTERNAL = 2, 3, 4, 5

INT128_MIN = -(1 << 127)
INT128_MAX = (1 << 127) - 1
MAX_SCALE = 18  # fraction digits of an amount or balance
MAX_ID_BYTES = 64
NANOS_PER_SECOND = 10**9

ACCOUNT_COLUMNS = ("accountNumber", "country", "balance")
TRANSFER_COLUMNS = ("date", "fromAccountNumber", "transferAmount", "toAccountNumber")
REASONS = ("unknown_account", "invalid_amount", "same_account", "cross_country", "insufficient_funds")

# Integers with thousands of digits are valid input (leading zeros); the 128-bit check rejects them
# later with a clear message instead of Python refusing to convert them.
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)


class LedgerError(Exception):
    """Ends the run with one message and one exit code (turned into output only in main)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def excerpt(text, limit=120):
    """Keeps messages one readable line even for a megabyte of garbage."""
    shown = text if len(text) <= limit else text[:limit] + "..."
    return shown.encode("latin-1").decode("utf-8", "replace").replace("\n", "\\n").replace("\r", "\\r")


# ---------------------------------------------------------------------------------------------------
# CSV reading (RFC 4180, tolerant the way the spec asks).
#
# Written by hand rather than with the csv module because the spec needs what that module does not give:
# the physical line where a row starts, the row's raw text for the quarantine file, trimming outside
# quotes only, and a clear error (not a silent guess) for malformed quoting.
# ---------------------------------------------------------------------------------------------------

@dataclass
class Row:
    line: int  # physical line where the row starts; the first line of the file is 1
    raw: str  # the row as read, without its line end
    fields: list  # unquoted, trimmed values
    error: str  # empty when the row is well formed


UNQUOTED_FIELD = re.compile(r"[^,\n]*")
BLANKS = " \t"


def _end_of_line(text, i):
    """Index of the LF ending the physical line containing i, or len(text)."""
    end = text.find("\n", i)
    return len(text) if end < 0 else end


def _row_text(text, start, end):
    """The raw row: from its start to its line end, a CR belonging to a CRLF (or at the end) dropped."""
    raw = text[start:end]
    return raw[:-1] if raw.endswith("\r") else raw


def _read_quoted(text, i):
    """Reads the quoted field whose opening quote is at i. Returns (value, index after the closing
    quote), or (None, len(text)) when the quote is never closed."""
    parts = []
    j = i + 1
    while True:
        k = text.find('"', j)
        if k < 0:
            return None, len(text)
        parts.append(text[j:k])
        if k + 1 < len(text) and text[k + 1] == '"':  # "" is an escaped quote
            parts.append('"')
            j = k + 2
        else:
            return "".join(parts), k + 1


def read_record(text, start, line):
    """Reads the record starting at `start`. Returns (Row, index after its line end).

    DECISION: a quote inside an unquoted field makes the row bad, and reading goes on by the usual rules
    (a later quoted field may still span lines). Text after a closing quote makes the row bad, and the
    row ends at the end of that physical line. An unclosed quote makes the rest of the file, verbatim,
    one bad row. A lone CR not followed by LF is data, not a line end.
    """
    n = len(text)
    fields = []
    error = ""
    i = start
    while True:
        while i < n and text[i] in BLANKS:
            i += 1
        if i < n and text[i] == '"':
            value, i = _read_quoted(text, i)
            if value is None:  # inside the open quote every line break is data: the row is the rest of the file
                return Row(line, _row_text(text, start, n), fields, "unterminated quoted field"), n
            while i < n and text[i] in BLANKS:
                i += 1
            fields.append(value)
        else:
            j = UNQUOTED_FIELD.match(text, i).end()
            value = text[i:j]
            if '"' in value:
                error = error or "quote inside an unquoted field"
            if value.endswith("\r") and (j == n or text[j] == "\n"):
                value = value[:-1]  # the CR of a CRLF line end
            fields.append(value.rstrip(BLANKS))
            i = j
        # After a field: a comma, a line end (LF, CRLF), or the end of the text; anything else is an error.
        if i < n and text[i] == ",":
            i += 1
            continue
        if i < n and text[i] == "\r" and (i + 1 == n or text[i + 1] == "\n"):
            i += 1
        if i >= n:
            return Row(line, _row_text(text, start, n), fields, error), n
        if text[i] == "\n":
            return Row(line, _row_text(text, start, i), fields, error), i + 1
        end = _end_of_line(text, i)
        return Row(line, _row_text(text, start, end), fields, "text after a closing quote"), end + 1


def read_rows(text):
    """Every non-blank row of a file's text, in order.

    DECISION: a blank line is one that is empty or holds only spaces and tabs.
    """
    if text.startswith("\xef\xbb\xbf"):  # the UTF-8 BOM, seen through latin-1
        text = text[3:]
    pos, line = 0, 1
    while pos < len(text):
        row, next_pos = read_record(text, pos, line)
        line += text.count("\n", pos, next_pos)
        pos = next_pos
        if row.raw.strip(BLANKS) != "":
            yield row


# ---------------------------------------------------------------------------------------------------
# Values: ids, decimals, instants.
# ---------------------------------------------------------------------------------------------------

def check_id(value, what):
    """Returns an error text, or "" when `value` is a valid account number or country."""
    if value == "":
        return f"empty {what}"
    if len(value) > MAX_ID_BYTES:
        return f"{what} longer than {MAX_ID_BYTES} bytes"
    if "\0" in value:
        return f"{what} contains a NUL byte"
    return ""


DECIMAL = re.compile(r"([+-]?)([0-9]+)(?:\.([0-9]+))?", re.ASCII)


def parse_decimal(text):
    """Returns ((units, scale), "") for value = units * 10^-scale, or (None, error)."""
    m = DECIMAL.fullmatch(text)
    if not m:
        return None, f"not a decimal number '{excerpt(text)}'"
    sign, whole, fraction = m.group(1), m.group(2), m.group(3) or ""
    if len(fraction) > MAX_SCALE:
        return None, f"more than {MAX_SCALE} fraction digits in '{excerpt(text)}'"
    units = int(whole + fraction)
    return ((-units if sign == "-" else units), len(fraction)), ""


DATE = re.compile(
    r"""(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})
        (?: [Tt\ ] (?P<hour>[0-9]{2}) : (?P<minute>[0-9]{2})
            (?: : (?P<second>[0-9]{2}) (?: \. (?P<fraction>[0-9]{1,9}) )? )? )?
        (?P<zone> [Zz] | [+-][0-9]{2}:[0-9]{2} )?""",
    re.ASCII | re.VERBOSE,
)


def is_leap_year(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year, month):
    if month == 2:
        return 29 if is_leap_year(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def days_from_civil(year, month, day):
    """Days from 1970-01-01 to a proleptic Gregorian date, by counting: whole years, then months."""
    days = 0
    for y in range(min(year, 1970), max(year, 1970)):
        days += 366 if is_leap_year(y) else 365
    days = days if year >= 1970 else -days
    for m in range(1, month):
        days += days_in_month(year, m)
    return days + day - 1


_days_cache = {}


def days_from_civil_cached(year, month, day):
    """The counting above is slow for big inputs; the answer per date never changes."""
    key = (year, month, day)
    if key not in _days_cache:
        _days_cache[key] = days_from_civil(year, month, day)
    return _days_cache[key]


def parse_instant(text):
    """Returns (nanoseconds since 1970-01-01T00:00:00Z, "") or (None, error)."""
    m = DATE.fullmatch(text)
    if not m:
        return None, f"not an ISO-8601 date '{excerpt(text)}'"
    year, month, day = int(m["year"]), int(m["month"]), int(m["day"])
    if m["zone"] and m["hour"] is None:
        return None, f"offset on a date-only value '{excerpt(text)}'"
    if not 1 <= month <= 12 or not 1 <= day <= days_in_month(year, month):
        return None, f"no such day '{excerpt(text)}'"
    hour, minute, second = int(m["hour"] or 0), int(m["minute"] or 0), int(m["second"] or 0)
    if hour > 23 or minute > 59 or second > 59:  # DECISION: no hour 24, no leap second 60
        return None, f"no such time of day '{excerpt(text)}'"
    offset_seconds = 0
    zone = m["zone"]
    if zone and zone not in "Zz":
        offset_hours, offset_minutes = int(zone[1:3]), int(zone[4:6])
        if offset_hours > 23 or offset_minutes > 59:
            return None, f"offset out of range '{excerpt(text)}'"
        offset_seconds = (offset_hours * 3600 + offset_minutes * 60) * (-1 if zone[0] == "-" else 1)
    nanos = int((m["fraction"] or "").ljust(9, "0"))
    local_seconds = days_from_civil_cached(year, month, day) * 86400 + hour * 3600 + minute * 60 + second
    return (local_seconds - offset_seconds) * NANOS_PER_SECOND + nanos, ""


# ---------------------------------------------------------------------------------------------------
# Input files.
# ---------------------------------------------------------------------------------------------------

def read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("latin-1")
    except OSError as e:
        raise LedgerError(EXIT_IO, f"cannot read {path}: {e.strerror or e}")


class BadRows:
    """Applies the bad-row policy: stop at the first one, or keep it for the quarantine file."""

    def __init__(self, skip):
        self.skip = skip
        self.rows = []  # (file, line, error, raw) in the order found: accounts, then transactions files

    def add(self, path, row, error):
        if not self.skip:
            raise LedgerError(EXIT_BAD_INPUT, f"{path}:{row.line}: {error} ({excerpt(row.raw)})")
        self.rows.append((path, row.line, error, row.raw))


def read_table(path, text, required, bad_rows):
    """Yields (row, values of the required columns) for every good data row of a CSV file."""
    rows = read_rows(text)
    header = next(rows, None)
    if header is None:
        raise LedgerError(EXIT_BAD_INPUT, f"{path}: missing column {required[0]} (the file has no header)")
    if header.error:
        raise LedgerError(EXIT_BAD_INPUT, f"{path}:{header.line}: bad header: {header.error}")
    columns = []
    for name in required:
        positions = [i for i, field in enumerate(header.fields) if field == name]
        if not positions:
            raise LedgerError(EXIT_BAD_INPUT, f"{path}: missing column {name}")
        if len(positions) > 1:  # DECISION: which of two columns to believe would be a guess
            raise LedgerError(EXIT_BAD_INPUT, f"{path}:{header.line}: column {name} appears twice")
        columns.append(positions[0])
    for row in rows:
        if row.error:
            bad_rows.add(path, row, row.error)
        elif len(row.fields) != len(header.fields):
            bad_rows.add(path, row, f"{len(row.fields)} fields, the header has {len(header.fields)}")
        else:
            yield row, [row.fields[c] for c in columns]


@dataclass
class Account:
    id: str
    country: str
    units: int  # at `scale` until rescaled to the run's scale
    scale: int
    line: int
    balance_text: str


def read_accounts(path, text, bad_rows):
    accounts = {}  # id -> Account, in file order (dicts keep insertion order)
    for row, (account_id, country, balance_text) in read_table(path, text, ACCOUNT_COLUMNS, bad_rows):
        balance, error = parse_decimal(balance_text)
        error = check_id(account_id, "accountNumber") or check_id(country, "country") or (error and "balance: " + error)
        if error:
            bad_rows.add(path, row, error)
            continue
        if account_id in accounts:  # DECISION: fatal even when skipping bad rows (the lead's)
            first = accounts[account_id].line
            raise LedgerError(EXIT_BAD_INPUT,
                              f"{path}:{row.line}: duplicate account {excerpt(account_id)} (first on line {first})")
        accounts[account_id] = Account(account_id, country, balance[0], balance[1], row.line, balance_text)
    return accounts


@dataclass
class Transfer:
    instant: int  # nanoseconds since 1970, UTC
    file_index: int  # position of its file among the --transactions, in the order given
    line: int
    path: str
    fields: tuple  # date, from, amount, to: as they appeared (unquoted, trimmed), for the rejected file
    from_id: str
    to_id: str
    units: int
    scale: int


def read_transfers(path, file_index, text, bad_rows):
    transfers = []
    for row, (date_text, from_id, amount_text, to_id) in read_table(path, text, TRANSFER_COLUMNS, bad_rows):
        instant, date_error = parse_instant(date_text)
        amount, amount_error = parse_decimal(amount_text)
        error = ((date_error and "date: " + date_error) or check_id(from_id, "fromAccountNumber")
                 or (amount_error and "transferAmount: " + amount_error) or check_id(to_id, "toAccountNumber"))
        if error:
            bad_rows.add(path, row, error)
            continue
        transfers.append(Transfer(instant, file_index, row.line, path, (date_text, from_id, amount_text, to_id),
                                  from_id, to_id, amount[0], amount[1]))
    return transfers


# ---------------------------------------------------------------------------------------------------
# The common scale and the replay.
# ---------------------------------------------------------------------------------------------------

def at_scale(units, scale, common_scale, where, text):
    value = units * 10 ** (common_scale - scale)
    if not INT128_MIN <= value <= INT128_MAX:
        raise LedgerError(EXIT_BAD_INPUT,
                          f"{where}: {excerpt(text)} does not fit in 128 bits at {common_scale} fraction digits")
    return value


def replay(accounts, transfers, on_rejected):
    """Replays the transfers in time order; returns the closing balance of every account (by id)."""
    balance = {a.id: a.units for a in accounts.values()}
    country = {a.id: a.country for a in accounts.values()}
    for t in sorted(transfers, key=lambda t: (t.instant, t.file_index, t.line)):
        if t.from_id not in balance or t.to_id not in balance:
            reason = "unknown_account"
        elif t.units <= 0:
            reason = "invalid_amount"
        elif t.from_id == t.to_id:
            reason = "same_account"
        elif country[t.from_id] != country[t.to_id]:
            reason = "cross_country"
        elif balance[t.from_id] < t.units:
            reason = "insufficient_funds"
        else:
            reason = None
        if reason:
            on_rejected(t, reason)
            continue
        balance[t.from_id] -= t.units
        balance[t.to_id] += t.units
        if balance[t.to_id] > INT128_MAX:
            raise LedgerError(EXIT_BAD_INPUT,
                              f"{t.path}:{t.line}: balance of {excerpt(t.to_id)} overflows 128 bits")
    return balance


def check_conservation(accounts, closing):
    totals_before, totals_after = {}, {}
    for a in accounts.values():
        totals_before[a.country] = totals_before.get(a.country, 0) + a.units
        totals_after[a.country] = totals_after.get(a.country, 0) + closing[a.id]
    for name in totals_before:
        if totals_before[name] != totals_after[name]:
            raise LedgerError(EXIT_INTERNAL, f"conservation broken in country {excerpt(name)}")


# ---------------------------------------------------------------------------------------------------
# Output.
# ---------------------------------------------------------------------------------------------------

def csv_field(value):
    """Quotes only where RFC 4180 needs it, plus leading/trailing blanks (a tolerant reader would trim
    them). DECISION: tab counts as a blank here, since readers trim tabs too."""
    needs_quotes = (any(c in value for c in ',"\r\n')
                    or (value != "" and (value[0] in BLANKS or value[-1] in BLANKS)))
    return '"' + value.replace('"', '""') + '"' if needs_quotes else value


def csv_line(values):
    return ",".join(csv_field(str(v)) for v in values) + "\n"


def format_units(units, scale):
    digits = str(abs(units)).rjust(scale + 1, "0")
    text = digits if scale == 0 else digits[:-scale] + "." + digits[-scale:]
    return "-" + text if units < 0 else text


def check_output_path(path):
    """Fails fast (exit 4) on an output path that clearly cannot be written."""
    if os.path.isdir(path):
        raise LedgerError(EXIT_IO, f"cannot write {path}: is a directory")
    parent = os.path.dirname(path) or "."
    if not os.path.isdir(parent):
        raise LedgerError(EXIT_IO, f"cannot write {path}: no such directory {parent}")
    if not os.access(parent, os.W_OK) and not os.path.exists(path):
        raise LedgerError(EXIT_IO, f"cannot write {path}: directory {parent} is not writable")


def write_outputs(contents):
    """Writes every output to a temporary name beside it, then renames them all into place: a failed
    run leaves no partial file and any older file untouched. Paths that are not regular files
    (/dev/stdout, a FIFO) cannot be renamed over and are written directly."""
    staged = []
    try:
        for path, text in contents:
            if os.path.exists(path) and not os.path.isfile(path):
                with open(path, "wb") as f:
                    f.write(text.encode("latin-1"))
                continue
            temp = os.path.join(os.path.dirname(path) or ".", f".{os.path.basename(path)}.tmp-{os.getpid()}")
            staged.append((temp, path))
            with open(temp, "wb") as f:
                f.write(text.encode("latin-1"))
        for temp, path in staged:
            os.replace(temp, path)
    except OSError as e:
        for temp, _ in staged:
            if os.path.exists(temp):
                os.remove(temp)
        raise LedgerError(EXIT_IO, f"cannot write {e.filename or 'output'}: {e.strerror or e}")


# ---------------------------------------------------------------------------------------------------
# Command line and the run.
# ---------------------------------------------------------------------------------------------------

class ArgumentParser(argparse.ArgumentParser):
    def error(self, message):
        raise LedgerError(EXIT_USAGE, f"{message} (try --help)")


class Once(argparse.Action):
    """A single-valued option given twice is an error, not a silent 'last one wins'."""

    def __call__(self, parser, namespace, values, option_string=None):
        if getattr(namespace, self.dest) is not None:
            parser.error(f"option {option_string} given more than once")
        setattr(namespace, self.dest, values)


def parse_args(argv):
    p = ArgumentParser(prog="reference_ledger.py", allow_abbrev=False,
                       description="Reference implementation of the ledger job (the test oracle).")
    p.add_argument("--accounts", action=Once, required=True, metavar="PATH")
    p.add_argument("--transactions", action="append", required=True, metavar="PATH",
                   help="repeat for several files, read in the order given")
    p.add_argument("--output", action=Once, required=True, metavar="PATH")
    p.add_argument("--rejected", action=Once, metavar="PATH")
    p.add_argument("--on-bad-row", action=Once, choices=("fail", "skip"))
    p.add_argument("--quarantine", action=Once, metavar="PATH")
    # Accepted so that a test can hand both programs one command line; they do not change the result.
    p.add_argument("--ingest", action=Once, choices=("root", "parallel"))
    p.add_argument("--log-level", action=Once, choices=("error", "warn", "info", "debug"))
    p.add_argument("--progress", action=Once, choices=("auto", "on", "off"))
    p.add_argument("--version", action="version", version="reference_ledger 1.0.0")
    args = p.parse_args(argv)
    args.on_bad_row = args.on_bad_row or "fail"
    if args.quarantine is not None and args.on_bad_row != "skip":
        p.error("--quarantine needs --on-bad-row skip")
    return args


def run(args):
    outputs = [args.output] + [p for p in (args.rejected, args.quarantine) if p is not None]
    for path in outputs:
        check_output_path(path)
    accounts_text = read_text(args.accounts)
    transactions_texts = [read_text(path) for path in args.transactions]

    bad_rows = BadRows(skip=args.on_bad_row == "skip")
    accounts = read_accounts(args.accounts, accounts_text, bad_rows)
    transfers = []
    for index, (path, text) in enumerate(zip(args.transactions, transactions_texts)):
        transfers += read_transfers(path, index, text, bad_rows)

    scale = max([a.scale for a in accounts.values()] + [t.scale for t in transfers] + [0])
    for a in accounts.values():
        a.units = at_scale(a.units, a.scale, scale, f"{args.accounts}:{a.line}", a.balance_text)
    for t in transfers:
        t.units = at_scale(t.units, t.scale, scale, f"{t.path}:{t.line}", t.fields[2])

    rejected_text = [csv_line(["date", "fromAccountNumber", "transferAmount", "toAccountNumber", "reason"])]
    closing = replay(accounts, transfers, lambda t, reason: rejected_text.append(csv_line(t.fields + (reason,))))
    check_conservation(accounts, closing)

    balances_text = [csv_line(ACCOUNT_COLUMNS)]
    for a in accounts.values():
        balances_text.append(csv_line([a.id, a.country, format_units(closing[a.id], scale)]))
    contents = [(args.output, "".join(balances_text))]
    if args.rejected is not None:
        contents.append((args.rejected, "".join(rejected_text)))
    if args.quarantine is not None:
        quarantine_text = [csv_line(["file", "line", "error", "row"])]
        quarantine_text += [csv_line(row) for row in bad_rows.rows]
        contents.append((args.quarantine, "".join(quarantine_text)))
    write_outputs(contents)


def main(argv):
    try:
        run(parse_args(argv))
    except LedgerError as e:
        print(f"reference_ledger: {e.message}", file=sys.stderr)
        return e.code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
