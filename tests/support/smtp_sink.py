#!/usr/bin/env python3
"""A throw-away SMTP server for the email notification tests (tests/notify_email.rs).

    python3 tests/support/smtp_sink.py --port 0 --dir OUTDIR [--auth user:pass]

Listens on 127.0.0.1 (port 0 picks a free one), and once it accepts connections prints
the bound port alone on a line on stdout. Every message it receives is written to OUTDIR as
`NNNN.eml` (the raw bytes, as received) and `NNNN.json` (the envelope plus the decoded
headers and text/HTML parts, so the Rust side needs no MIME parser). The .json file is
renamed into place after the .eml is written, so a .json file means the message is
complete. The server replies 250 to DATA only after both files exist.

With --auth, AUTH PLAIN and LOGIN are offered without TLS (auth_require_tls=False) and
required before MAIL; only the given user:pass is accepted.

The server exits when its stdin closes (the test holds the write end), so it never outlives
the test process, even when the test panics or is killed.

Needs aiosmtpd: python3 -m pip install aiosmtpd
"""

import argparse
import asyncio
import email
import email.policy
import json
import logging
import os
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, outdir):
        self.outdir = outdir
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = os.path.join(self.outdir, "%04d" % self.count)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        with open(stem + ".eml", "wb") as f:
            f.write(raw)
        summary = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "authenticated": bool(session.authenticated),
            "eml": os.path.basename(stem + ".eml"),
        }
        summary.update(describe(raw))
        with open(stem + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2, ensure_ascii=False)
        os.replace(stem + ".json.tmp", stem + ".json")
        return "250 Message accepted for delivery"


def describe(raw):
    """Decoded view of a message: headers, text and HTML parts."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    out = {
        # Every header as [name, decoded value], in order, duplicates kept.
        "headers": [[name, str(value)] for name, value in msg.items()],
        "subject": str(msg["subject"]) if msg["subject"] is not None else None,
        "to": str(msg["to"]) if msg["to"] is not None else None,
        "from": str(msg["from"]) if msg["from"] is not None else None,
        "content_type": msg.get_content_type(),
        "text": None,
        "html": None,
        "parts": [],
    }
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        content = part.get_content()
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        content = content.replace("\r\n", "\n")
        out["parts"].append(ctype)
        if ctype == "text/plain" and out["text"] is None:
            out["text"] = content
        elif ctype == "text/html" and out["html"] is None:
            out["html"] = content
    return out


def make_authenticator(user, password):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False)

    return authenticator


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--auth", help="user:pass to require")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    options = {"hostname": "smtp-sink.test"}
    if args.auth:
        user, sep, password = args.auth.partition(":")
        if not sep:
            parser.error("--auth takes user:pass")
        options.update(
            authenticator=make_authenticator(user, password),
            auth_required=True,
            auth_require_tls=False,
        )

    loop = asyncio.get_running_loop()
    handler = Sink(args.dir)
    server = await loop.create_server(
        lambda: SMTP(handler, loop=loop, **options), host="127.0.0.1", port=args.port
    )
    port = server.sockets[0].getsockname()[1]
    print(port, flush=True)

    # Block (in a worker thread) until the test closes our stdin, then shut down.
    await loop.run_in_executor(None, sys.stdin.buffer.read)
    # No wait_closed(): from Python 3.12 it also waits for open client connections.
    server.close()


if __name__ == "__main__":
    # AUTH without TLS is the point of --auth here; keep stderr for real problems.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
