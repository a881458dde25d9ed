"""A mail server for the benchmark that accepts every message and keeps none.

`--delay-ms` makes it answer each message that much later, as a real mail server across a
network would (connection, TLS and the SMTP dialogue take several round trips). Listens on
127.0.0.1 only; stops after `--time-limit` seconds. Standard library only.

    python bench/smtp_sink.py --port 8106 --delay-ms 100
"""

import argparse
import asyncio


async def session(reader, writer, delay: float, counts: dict) -> None:
    async def reply(line: str) -> None:
        writer.write(line.encode() + b"\r\n")
        await writer.drain()

    try:
        await reply("220 bench sink")
        while line := await reader.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                await reply("250 bench sink")
            elif verb == b"DATA":
                await reply("354 go on")
                while await reader.readline() not in (b".\r\n", b""):
                    pass
                await asyncio.sleep(delay)
                counts["messages"] += 1
                await reply("250 kept nowhere")
            elif verb == b"QUIT":
                await reply("221 bye")
                break
            else:  # MAIL, RCPT, RSET, NOOP
                await reply("250 ok")
    finally:
        writer.close()


async def serve(port: int, delay: float, time_limit: float) -> None:
    counts = {"messages": 0}
    server = await asyncio.start_server(
        lambda r, w: session(r, w, delay, counts), host="127.0.0.1", port=port
    )
    async with server:
        try:
            await asyncio.wait_for(server.serve_forever(), timeout=time_limit)
        except TimeoutError:
            pass
    print(f"smtp sink: {counts['messages']} messages", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay-ms", type=float, default=0)
    parser.add_argument("--time-limit", type=float, default=900)
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.delay_ms / 1000, args.time_limit))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
