"""Real Spark processes for the tests: a standalone master + one worker, and a Spark Connect server.

Each runs as its own JVM from the pyspark package (SPARK_HOME = the package folder,
nothing is downloaded), in its own process group, on free ports of 127.0.0.1. The
fixtures wait until the service is usable and stop it by its process id (and its
process group) at the end of the session. A service that does not come up fails the
test with the tail of its log — nothing is skipped.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

START_TIMEOUT = 90  # seconds; a JVM start takes 3–10 s here


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_env(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(SPARK_HOME=str(spark_home()), SPARK_LOCAL_IP="127.0.0.1", SPARK_NO_DAEMONIZE="1",
               SPARK_LOG_DIR=str(workdir), SPARK_PID_DIR=str(workdir), SPARK_WORKER_DIR=str(workdir / "work"),
               PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    env.pop("SPARK_CONF_DIR", None)
    return env


@dataclass
class Service:
    """A JVM we started: its process, log file and the address clients use."""

    name: str
    proc: subprocess.Popen
    log: Path
    url: str = ""
    extra: dict = field(default_factory=dict)

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def check_alive(self) -> None:
        if self.proc.poll() is not None:
            pytest.fail(f"{self.name} exited with code {self.proc.returncode}:\n{self.tail()}")

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL after 10 s."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                pass
        try:  # whatever is left in the group (a child JVM)
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass


def start(name: str, cmd: list[str], workdir: Path, env: dict) -> Service:
    log = workdir / f"{name}.log"
    handle = log.open("wb")
    proc = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                            cwd=workdir, start_new_session=True)  # own process group: killpg stops it all
    handle.close()
    return Service(name, proc, log)


def wait_for(service: Service, ready, what: str, timeout: float = START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        service.check_alive()
        try:
            got = ready()
        except OSError:
            got = None
        if got:
            return got
        time.sleep(0.5)
    service.stop()
    pytest.fail(f"{service.name}: {what} not within {timeout} s:\n{service.tail()}")


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def master_state(webui: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{webui}/json", timeout=2) as r:
        return json.load(r)


class StandaloneCluster:
    """``spark://127.0.0.1:PORT``: a master and one worker (1 core, 1 GB by default) as separate JVMs."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.services: list[Service] = []
        self.port, self.webui, self.worker_webui = free_port(), free_port(), free_port()
        self.url = f"spark://127.0.0.1:{self.port}"
        self.worker_cores, self.worker_memory = 1, "1g"

    def start(self) -> "StandaloneCluster":
        home, env = spark_home(), spark_env(self.workdir)
        (self.workdir / "work").mkdir(exist_ok=True)
        master = start("spark-master", [str(home / "bin" / "spark-class"), "org.apache.spark.deploy.master.Master",
                                        "--host", "127.0.0.1", "--port", str(self.port),
                                        "--webui-port", str(self.webui)], self.workdir, env)
        self.services.append(master)
        wait_for(master, lambda: master_state(self.webui).get("status") == "ALIVE", "the master's JSON UI")
        worker = start("spark-worker", [str(home / "bin" / "spark-class"), "org.apache.spark.deploy.worker.Worker",
                                        self.url, "--cores", str(self.worker_cores),
                                        "--memory", self.worker_memory, "--host", "127.0.0.1",
                                        "--webui-port", str(self.worker_webui),
                                        "--work-dir", str(self.workdir / "work")], self.workdir, env)
        self.services.append(worker)
        wait_for(worker, lambda: master_state(self.webui).get("aliveworkers", 0) >= 1,
                 "the worker's registration with the master")
        return self

    def stop(self) -> None:
        for service in reversed(self.services):
            service.stop()


class ConnectServer:
    """``sc://127.0.0.1:PORT``: a Spark Connect server (``SparkConnectServer``, master local[1])."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"sc://127.0.0.1:{self.port}"
        self.service: Service | None = None

    def start(self) -> "ConnectServer":
        home, env = spark_home(), spark_env(self.workdir)
        cmd = [str(home / "bin" / "spark-submit"), "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
               "--name", "smartspec-test-connect", "--master", "local[1]",
               "--conf", f"spark.connect.grpc.binding.port={self.port}",
               "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
               "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
               "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.memory=1g",
               "--conf", f"spark.local.dir={self.workdir}"]
        self.service = start("spark-connect", cmd, self.workdir, env)
        wait_for(self.service, lambda: port_open(self.port), f"the Connect port {self.port}")
        return self

    def stop(self) -> None:
        if self.service:
            self.service.stop()
