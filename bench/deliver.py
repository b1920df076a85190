"""Delivery throughput: compose and hand N QBR messages to a local SMTP server, no rate limit.

Usage: python bench/deliver.py [--messages 10000] [--pdf-kb 30]

Builds an output folder of N approved customer accounts (sample-generator contacts and
CSMs; a stand-in leave-behind of ``--pdf-kb`` KB of incompressible bytes per account, the
size of a real one, recorded through the run manifest with headline figures), starts
aiosmtpd in its own process (``aiosmtpd.handlers.Sink``: accepts and discards), and runs
:func:`reports.delivery.run.deliver` with ``--send`` semantics: plan, compose (templates,
catalogue, MIME with the PDF), send over one connection, ledger line and review line per
message, manifest and report at the end. Then the floor: the same number of bare
``smtplib`` sends of a tiny message over one connection to the same server. Prints
messages/s of both, their ratio, and the peak RSS of this process (``resource.getrusage``).
Targets: at least 50 messages/s and at most 1 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reports.data.sample_data import SampleSpec, generate_sample  # noqa: E402
from reports.delivery.config import DeliveryConfig  # noqa: E402
from reports.delivery.run import DeliveryOptions, deliver  # noqa: E402
from reports.documents.email.send import SmtpSettings  # noqa: E402
from reports.output.manifest import Manifest  # noqa: E402
from reports.review.log import Review, ReviewLog, now_utc  # noqa: E402


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("aiosmtpd did not start")


def _book(out: Path, n: int, pdf_kb: int):  # type: ignore[no-untyped-def]
    tables = generate_sample(SampleSpec(accounts=n, months=3, seed=3, usage_frequency="monthly"))
    contacts = tables["contacts"]
    contacts["email"] = [
        f"{c.lower()}@{a.lower()}.example"
        for c, a in zip(contacts["contact_id"], contacts["account_id"], strict=True)
    ]
    manifest = Manifest(out, run={"command": "qbr", "period": "2026-Q3"})
    reviews = []
    for row in tables["accounts"].itertuples(index=False):
        path = out / f"{row.account_id.lower()}.pdf"
        path.write_bytes(b"%PDF-1.4\n" + os.urandom(pdf_kb * 1024))
        figures = [
            {"id": "active_users", "value": 19, "shown": "19"},
            {"id": "active_users_change", "value": -0.066, "shown": "-6.6%"},
            {"id": "seat_utilisation", "value": 0.74, "shown": "74%"},
            {"id": "latest_active_users", "value": 20, "shown": "20"},
            {"id": "latest_seats", "value": 27, "shown": "27"},
        ]
        about = {
            "account_name": row.name,
            "segment": row.segment,
            "csm_id": row.csm_id,
            "audience": "customer",
            "locale": "en",
        }
        entry = manifest.add_file("qbr-pdf", path, account_id=row.account_id, figures=figures, about=about)
        reviews.append(Review(str(entry.path), str(entry.sha256), "approved", "bench", now_utc()))
    manifest.write()
    ReviewLog.load(out).append(reviews)
    return tables


def _floor(settings: SmtpSettings, n: int) -> float:
    tiny = b"From: a@x.example\r\nTo: b@x.example\r\nSubject: t\r\n\r\nhi\r\n"
    started = time.perf_counter()
    client = smtplib.SMTP(settings.host, settings.port)
    client.ehlo()
    for _ in range(n):
        client.sendmail("a@x.example", ["b@x.example"], tiny)
    client.quit()
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--pdf-kb", type=int, default=30)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-deliver-"))
    port = _free_port()
    server = _server(port)
    try:
        out = work / "out"
        out.mkdir()
        tables = _book(out, args.messages, args.pdf_kb)
        settings = SmtpSettings("127.0.0.1", port, "none", "qbr@vendor.example")
        options = DeliveryOptions(mode="send", smtp=settings, rate_per_minute=0)
        started = time.perf_counter()
        result = deliver(out, DeliveryConfig(), tables, options, echo=lambda _line: None)
        elapsed = time.perf_counter() - started
        sent = result.count("sent")
        rate = sent / elapsed
        floor = _floor(settings, sent)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"messages sent: {sent} of {len(result.outcomes)} planned ({result.count('failed')} failed: no contact)"
        )
        print(f"deliver: {elapsed:.1f} s, {rate:.0f} messages/s (target >= 50)")
        print(f"floor (bare smtplib, tiny message, one connection): {floor:.0f} messages/s")
        print(f"ratio deliver / floor: {rate / floor:.2f}")
        print(f"peak RSS: {peak_mb:.0f} MB (target <= 1024)")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
