"""Time a case manager's map page on the current database (issue 4 targets).

Prints the median and p95 server time of the map page with no filter and with a
many-to-many filter (a target group), and, with `--load`, runs gunicorn with two workers on
loopback and eight concurrent clients for the given seconds, printing requests per second,
errors and the CPU time the workers spent per request (a figure the load client cannot skew).
The clients are `wrk` when it is installed (a C program, light on the CPU the server needs),
else Python threads. Run it after `generate_network 50000` on a scratch database; it adds a map
and a user.
"""

import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client

from actors.models import Actor, TargetGroup
from network.models import Map
from network.roles import CASE_MANAGER

USERNAME = "benchmark-case-manager"
PASSWORD = "benchmark-Mapa-2026"


class Command(BaseCommand):
    help = "Benchmark a case manager's map page (median, p95; optional gunicorn load)."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=100)
        parser.add_argument("--load", type=int, default=0, help="seconds of gunicorn load")
        parser.add_argument("--clients", type=int, default=8)
        parser.add_argument("--port", type=int, default=8377)

    def handle(self, *args, requests, load, clients, port, **options):
        user = self.user()
        map_ = self.map()
        group = (
            TargetGroup.objects.filter(actors__status=Actor.Status.ACTIVE).order_by("pk").first()
        )
        active = Actor.objects.active().count()
        load_average = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        self.stdout.write(
            f"map page, {active} active actors ({connection.vendor}), load average {load_average}:"
        )
        client = Client()
        client.force_login(user)
        url = map_.get_absolute_url()
        cases = [("no filter", {}), (f"target group {group}", {"cilova_skupina": group.pk})]
        for label, params in cases:
            times = []
            for index in range(requests + 5):
                started = time.perf_counter()
                response = client.get(url, params)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, response.status_code
                if index >= 5:  # warm-up
                    times.append(elapsed)
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            self.stdout.write(
                f"  {label:40} median {statistics.median(times):6.1f} ms, p95 {p95:6.1f} ms"
                " (target p95 <= 50 ms)"
            )
        if load:
            self.load(url, {"cilova_skupina": group.pk}, load, clients, port)

    def user(self):
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=CASE_MANAGER))
        return user

    def map(self) -> Map:
        map_, _ = Map.objects.update_or_create(
            name="Benchmark",
            defaults={
                "columns": ["actor_type", "municipality", "phone", "target_groups", "contacts"],
            },
        )
        map_.audience_groups.add(Group.objects.get(name=CASE_MANAGER))
        return map_

    def load(self, url: str, params: dict, seconds: int, clients: int, port: int) -> None:
        """gunicorn with 2 workers on loopback, `clients` keep-alive clients for `seconds`."""
        server = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "network.wsgi", "--workers", "2",
                "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            ],
            env={**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1",
                 "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-" + "x" * 40)},
        )  # fmt: skip
        try:
            cookie = self.login(port)
            path = f"{url}?{urlencode(params)}"
            self.warm_up(port, path, cookie, clients)
            workers, backends = children(server.pid), database_backends()
            cpu_before, database_before = cpu_seconds(workers), cpu_seconds(backends)
            if shutil.which("wrk"):
                client, (done, errors, elapsed) = "wrk", wrk(port, path, cookie, seconds, clients)
            else:
                client = "Python threads"
                done, errors, elapsed = threads(port, path, cookie, seconds, clients)
            answered = max(done + errors, 1)
            cpu = (cpu_seconds(workers) - cpu_before) * 1000 / answered
            database = (cpu_seconds(backends) - database_before) * 1000 / answered
            self.stdout.write(
                f"  load ({client}): gunicorn 2 workers, {clients} clients, {elapsed:.0f} s: "
                f"{done / elapsed:.0f} req/s (target >= 150), {errors} errors, "
                f"worker CPU {cpu:.1f} ms per request"
                + (f", database CPU {database:.1f} ms" if backends else "")
            )
        finally:
            server.terminate()
            server.wait(10)

    def warm_up(self, port: int, path: str, cookie: str, clients: int) -> None:
        """A few pages per worker before the clock starts; the first must be the map."""
        for _ in range(4 * clients):
            connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection_.request("GET", path, headers={"Cookie": cookie})
            response = connection_.getresponse()
            body = response.read()
            connection_.close()
            if response.status != 200 or b'class="actors"' not in body:
                raise RuntimeError(f"the map page answered {response.status}, not the map")

    def login(self, port: int) -> str:
        """Log in through the login page; the session and CSRF cookies to send."""
        for _ in range(50):
            try:
                connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection_.request("GET", "/prihlaseni/")
                response = connection_.getresponse()
                break
            except OSError:
                time.sleep(0.2)
        body = response.read().decode()
        csrf = cookie(response, "csrftoken")
        token = body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        connection_.request(
            "POST",
            "/prihlaseni/",
            body=urlencode({"username": USERNAME, "password": PASSWORD,
                            "csrfmiddlewaretoken": token}),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Cookie": f"csrftoken={csrf}", "Referer": f"http://127.0.0.1:{port}/"},
        )  # fmt: skip
        response = connection_.getresponse()
        response.read()
        session = cookie(response, "sessionid")
        return f"csrftoken={csrf}; sessionid={session}"


def cookie(response, name: str) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        if header.startswith(f"{name}="):
            return header.split("=", 1)[1].split(";")[0]
    raise RuntimeError(f"no {name} cookie: the login through /prihlaseni/ failed")


def threads(port: int, path: str, cookie: str, seconds: int, clients: int):
    """`clients` Python threads with keep-alive connections: (answered 200, errors, seconds)."""
    done, errors, stop = [0], [0], time.monotonic() + seconds
    lock = threading.Lock()

    def run():
        connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < stop:
            try:
                connection_.request("GET", path, headers={"Cookie": cookie})
                response = connection_.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection_.close()
                connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            with lock:
                done[0] += ok
                errors[0] += not ok

    running = [threading.Thread(target=run) for _ in range(clients)]
    started = time.monotonic()
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return done[0], errors[0], time.monotonic() - started


# wrk counts only socket errors and statuses >= 400; a redirect to the login page must count too.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body) if status ~= 200 then not_ok = not_ok + 1 end end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("not_ok") end
  io.write(string.format("not ok: %d\\n", total))
end
"""


def wrk(port: int, path: str, cookie: str, seconds: int, clients: int):
    """`wrk` with `clients` connections on two threads: (answered 200, errors, seconds)."""
    with tempfile.TemporaryDirectory() as scratch:
        script = Path(scratch) / "count.lua"
        script.write_text(WRK_SCRIPT)
        output = subprocess.run(
            [
                "wrk", "--threads", str(min(2, clients)), "--connections", str(clients),
                "--duration", f"{seconds}s", "--timeout", "10s", "--script", str(script),
                "--header", f"Cookie: {cookie}", f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    found = re.search(r"(\d+) requests in ([\d.]+)(m|s)\b", output)
    if not found:
        raise RuntimeError(f"wrk printed no request count:\n{output}")
    answered, elapsed = int(found[1]), float(found[2]) * (60 if found[3] == "m" else 1)
    not_ok = int(re.search(r"not ok: (\d+)", output)[1])
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    socket_errors = sum(int(n) for n in socket.groups()) if socket else 0
    return answered - not_ok, not_ok + socket_errors, elapsed


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (gunicorn's workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def database_backends() -> list[int]:
    """The PostgreSQL backends of the other connections to this database, if they run on this
    machine (the workers' connections, open after the warm-up)."""
    local = connection.settings_dict["HOST"] in ("", "localhost", "127.0.0.1", "::1")
    if connection.vendor != "postgresql" or not local:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        pids = [pid for (pid,) in cursor.fetchall()]
    return [pid for pid in pids if Path(f"/proc/{pid}/stat").exists()]


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time the processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")
