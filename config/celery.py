"""Celery application: eager in the embedded profile, Redis-backed in the services profile."""

import os

from celery import Celery
from celery.signals import worker_process_init, worker_ready
from kombu.transport import redis as kombu_redis

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("crisisdrill")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def in_each_worker_process(handler):
    """Connects `handler` to run once in each process that runs tasks: the worker's own with `-P solo`
    (deploy/processes; `worker_ready`), each child of a prefork worker (`worker_process_init`)."""
    worker_ready.connect(handler)
    worker_process_init.connect(handler)
    return handler


@in_each_worker_process
def _settle_heap(**_) -> None:
    from config.heap import settle

    settle()


# A lost tick (worker crash before ack, Redis restarted empty) is found by the sweep and sent again; the
# heartbeat tells /healthz that workers and beat are alive. Beat runs as a process of its own (`celery -A config
# beat`), never inside a worker (`-B`): a worker killed with -9 leaves its beat child running, and its restart
# would start a second.
# The sweep's period: a drill whose tick was lost stalls at most about this plus drills.tasks.ARMED_LOST_S.
SWEEP_EVERY_S = 2.0
app.conf.beat_schedule = {
    "sweep-running-drills": {"task": "drills.tasks.sweep_running_drills", "schedule": SWEEP_EVERY_S},
    "engine-heartbeat": {"task": "drills.tasks.engine_heartbeat", "schedule": 5.0},
}


class _RedisQoS(kombu_redis.QoS):
    """Why a Redis restart killed the worker (kombu 5.7, celery 5.7): on a lost broker connection the consumer
    first `collect()`s the connection, which closes its channel (the restore of the unacked messages fails
    quietly, Redis being down) and detaches the transport from its `Connection` (`transport.client = None`),
    then `close()`s it, which closes the default channel again. That second close restores the unacked
    messages once more (the engine always holds some: ETA tasks stay unacked until they run) and builds a new
    Redis pool from `transport.client.hostname`: `AttributeError: 'NoneType' object has no attribute
    'hostname'`, which is no connection error, so the worker stopped as on an unrecoverable error.

    A detached transport cannot reach Redis anyway: skip the restore. The messages stay in Redis's unacked
    index and come back after the visibility timeout; a drill whose wake-up is lost meanwhile is re-armed
    by the sweep within seconds."""

    def restore_unacked(self, client=None):
        if client is None and self.channel.connection.client is None:
            return None
        return super().restore_unacked(client)


class _RedisChannel(kombu_redis.Channel):
    QoS = _RedisQoS


class RedisTransport(kombu_redis.Transport):
    Channel = _RedisChannel


if app.conf.broker_url and app.conf.broker_url.startswith("redis://"):
    app.conf.broker_transport = "config.celery:RedisTransport"
