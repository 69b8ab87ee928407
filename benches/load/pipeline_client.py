#!/usr/bin/env python3
"""Sends N `GET /` requests, K per write (default 16, pipelined; 1 is plain keep-alive),
over C connections to 127.0.0.1:PORT, each connection waiting for a batch's answers
before its next write (as wrk does with pipeline.lua); prints how many were answered.

    python3 pipeline_client.py PORT N C [K]
"""
import socket
import sys
import threading

END = b"hello, world\n"  # the end of every answer to `/` (h1_load::SMALL)


def run(port, n, per_write, answered, i):
    request = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.settimeout(20)
        buf = b""
        left = n
        while left > 0:
            k = min(per_write, left)
            s.sendall(request * k)
            got = 0
            while got < k:
                data = s.recv(65536)
                if not data:
                    raise SystemExit("the server closed the connection")
                buf += data
                ends = buf.count(END)
                if ends:
                    got += ends
                    buf = buf[buf.rindex(END) + len(END):]
            left -= k
            answered[i] += k


def main():
    port, total, conns = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    per_write = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    answered = [0] * conns
    threads = [
        threading.Thread(target=run, args=(port, total // conns, per_write, answered, i))
        for i in range(conns)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(sum(answered))


main()
