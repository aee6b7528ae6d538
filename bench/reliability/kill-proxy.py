#!/usr/bin/env python3
"""A TCP proxy between census and ClickHouse's HTTP port that kills census or the server in the
middle of an INSERT (bench/reliability/clickhouse-crash-loop.sh).

    kill-proxy.py LISTEN_PORT UPSTREAM_PORT CONTROL_DIR

Every request is passed through unchanged until the loop arms the proxy by writing
CONTROL_DIR/arm ("ROUND N FRACTION ACTION"): the N-th INSERT request after that (counted per
round) is forwarded with its headers and only the first round(FRACTION * body length) bytes of its
body (FRACTION 1: the whole body, the answer not yet read), and then:

- ACTION census: census is killed (SIGKILL, the PID in CONTROL_DIR/census.pid) and the server sees
  the connection end there, as it does when census dies; the server's answer to that truncated
  request is recorded.
- ACTION server: the server is killed (SIGKILL, CONTROL_DIR/server.pid) and census's connection is
  closed; the loop restarts the server.

Every INSERT seen while armed is appended to CONTROL_DIR/inserts.log ("ROUND N TABLE"), so an
arm that never fires (N = 1000000) counts a run's INSERTs. What happened is appended to CONTROL_DIR/fired ("ROUND insert N into TABLE: cut at X of Y bytes;
killed census; server answered 200" ...).
"""
import os
import signal
import socket
import sys
import threading
import urllib.parse

listen_port, upstream_port, control = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
state = {"round": None, "inserts": 0, "fired": False}
lock = threading.Lock()


def read_arm():
    try:
        with open(os.path.join(control, "arm")) as f:
            parts = f.read().split()
        return parts[0], int(parts[1]), float(parts[2]), parts[3]
    except (OSError, IndexError, ValueError):
        return None


def read_pid(name):
    with open(os.path.join(control, name)) as f:
        return int(f.read().strip())


def record(line):
    with open(os.path.join(control, "fired"), "a") as f:
        f.write(line + "\n")


def pipe(source, destination):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            destination.sendall(data)
    except OSError:
        pass
    finally:
        try:
            destination.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def read_head(client):
    """The request's head (up to the blank line) and whatever body bytes came with it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return None, data
        data += chunk
    end = data.index(b"\r\n\r\n") + 4
    return data[:end], data[end:]


def handle(client):
    try:
        upstream = socket.create_connection(("127.0.0.1", upstream_port))
    except OSError:
        # The server is down (killed, not yet restarted): census sees its connection closed.
        client.close()
        return
    try:
        head, rest = read_head(client)
        if head is None:
            upstream.sendall(rest)
            return
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        target = urllib.parse.unquote_plus(request_line.split(" ")[1]) if " " in request_line else ""
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(target).query).get("query", [""])[0] if "?" in target else ""
        action = None
        if query.upper().startswith("INSERT"):
            arm = read_arm()
            with lock:
                if arm and arm[0] != state["round"]:
                    state.update(round=arm[0], inserts=0, fired=False)
                if arm:
                    state["inserts"] += 1
                    with open(os.path.join(control, "inserts.log"), "a") as f:
                        f.write(f"{arm[0]} {state['inserts']} {query.split('(')[0].replace('INSERT INTO', '').strip()}\n")
                    if state["inserts"] == arm[1] and not state["fired"]:
                        state["fired"] = True
                        action = arm
        if action is None:
            upstream.sendall(head + rest)
            back = threading.Thread(target=pipe, args=(upstream, client))
            back.start()
            pipe(client, upstream)
            back.join()
            return
        round_name, number, fraction, who = action
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        cut = min(length, int(round(fraction * length)))
        body = rest
        while len(body) < cut:
            chunk = client.recv(65536)
            if not chunk:
                break
            body += chunk
        upstream.sendall(head + body[:cut])
        table = query.split("(")[0].replace("INSERT INTO", "").strip()
        line = f"{round_name} insert {number} into {table}: cut at {cut} of {length} bytes"
        if who == "census":
            pid = read_pid("census.pid")
            try:
                os.kill(pid, signal.SIGKILL)
                line += f"; killed census ({pid})"
            except OSError as error:
                line += f"; census ({pid}) not killed: {error}"
            client.close()
            upstream.shutdown(socket.SHUT_WR)
            answer = b""
            try:
                upstream.settimeout(60)
                while True:
                    chunk = upstream.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            except OSError:
                pass
            status = answer.split(b"\r\n", 1)[0].decode("latin-1", "replace")
            line += f"; the server answered the truncated request: {status or 'nothing'}"
            if b"Code:" in answer:
                line += " (" + answer[answer.index(b"Code:"):].split(b"\n")[0][:120].decode("utf-8", "replace") + ")"
        else:
            pid = read_pid("server.pid")
            try:
                os.kill(pid, signal.SIGKILL)
                line += f"; killed the server ({pid})"
            except OSError as error:
                line += f"; server ({pid}) not killed: {error}"
            client.close()
        record(line)
    except OSError:
        pass
    finally:
        for s in (client, upstream):
            try:
                s.close()
            except OSError:
                pass


def main():
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", listen_port))
    listener.listen(64)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=handle, args=(client,), daemon=True).start()


if __name__ == "__main__":
    main()
