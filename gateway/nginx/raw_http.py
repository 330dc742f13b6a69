"""Raw HTTP/1.1 over one socket, for test.sh's checks of how the module reads bodies: requests
written exactly as given (several in one write, or one in pieces), responses read back in order."""
import socket
import sys


def post(body, path=b"/memory"):
    """A POST of body as JSON, headers and body as one byte string."""
    return (b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % (path, len(body))) + body


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=30)


def responses(s, n):
    """The next n responses on s, as (status, body) pairs; exits when the server closes first."""
    buf, got = b"", []
    while len(got) < n:
        while b"\r\n\r\n" not in buf:
            data = s.recv(65536)
            if not data:
                sys.exit("   connection closed after %s" % got)
            buf += data
        head, _, buf = buf.partition(b"\r\n\r\n")
        length = [int(l.split(b":")[1]) for l in head.split(b"\r\n")
                  if l.lower().startswith(b"content-length:")][0]
        while len(buf) < length:
            buf += s.recv(65536)
        got.append((head.split(b" ")[1], buf[:length]))
        buf = buf[length:]
    return got
