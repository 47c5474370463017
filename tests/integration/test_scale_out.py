"""Two app servers against one PostgreSQL and one Redis keep no local state.

The same checks `manage.py bench_load` runs after its load, here as a test: a
database built as a deploy builds it, two gunicorn servers with production settings,
then (a) a session from A is valid on B, (b) a write on A shows on B, (c) the
reverse, (d) requests alternating between A and B all succeed. It needs the local
PostgreSQL and Redis (127.0.0.1), whatever database the rest of the suite uses, so
CI runs it once, with the PostgreSQL run.
"""

from __future__ import annotations

import socket

import pytest

from tracker.management.commands.bench_load import deployment, scale_out

pytestmark = pytest.mark.integration


def _free_ports(count: int) -> tuple[int, ...]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return tuple(sock.getsockname()[1] for sock in sockets)
    finally:
        for sock in sockets:
            sock.close()


def test_two_servers_share_sessions_writes_and_cache(django_db_blocker):
    lines: list[str] = []
    ports = _free_ports(2)
    with django_db_blocker.unblock(), deployment(learners=0, write=lines.append) as deploy:
        deploy.start(ports[0], "a")
        deploy.start(ports[1], "b")
        checks = scale_out(ports, deploy.targets, lines.append)
    assert [check.name[:3] for check in checks] == ["(a)", "(b)", "(c)", "(d)"]
    failed = [f"{check.name}: {check.detail}" for check in checks if not check.ok]
    assert not failed, "\n".join(failed + lines)
