# Goldsmith configurator: one JSON object per line for every task start and task result, written to the
# file named by GOLDSMITH_EVENTS_FILE. A notification callback: the human-readable stdout callback keeps
# running next to it, so the service can stream the usual log and still read outcomes without scraping it.
#
# Lines (field "event"):
#   playbook_start {playbook}              play_start {play}
#   task_start {task, role, handler}       result {status, host, task, role, changed, msg, ignored}
#                                           status: ok | changed | failed | skipped | unreachable
#   stats {hosts: {<host>: {ok, changed, failures, unreachable, skipped, rescued, ignored}}}
# Results of no_log tasks carry no message (Ansible already censors them; this plugin adds nothing).
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
    name: goldsmith_events
    type: notification
    short_description: JSON lines per task for the Goldsmith configurator
    description:
      - Writes one JSON object per task start and per task result to the file in GOLDSMITH_EVENTS_FILE.
    requirements:
      - enable in configuration (ANSIBLE_CALLBACKS_ENABLED=goldsmith_events)
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

MAX_MSG = 4000


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "goldsmith_events"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super(CallbackModule, self).__init__(display)
        path = os.environ.get("GOLDSMITH_EVENTS_FILE")
        self._out = open(path, "a", encoding="utf-8") if path else None

    def _write(self, record):
        if self._out is None:
            return
        record["ts"] = round(time.time(), 3)
        self._out.write(json.dumps(record, sort_keys=True, default=str) + "\n")
        self._out.flush()

    @staticmethod
    def _role(task):
        role = getattr(task, "_role", None)
        return role.get_name() if role is not None else None

    @staticmethod
    def _message(result):
        res = result._result
        if res.get("_ansible_no_log") or res.get("censored"):
            return "the output has been hidden (no_log)"
        parts = []
        for key in ("msg", "stderr", "module_stderr"):
            value = res.get(key)
            if value and isinstance(value, str) and value not in parts:
                parts.append(value.strip())
        if not parts and res.get("results"):
            for item in res["results"]:
                if isinstance(item, dict) and item.get("failed") and item.get("msg"):
                    parts.append(str(item["msg"]).strip())
        text = "\n".join(p for p in parts if p)
        return text[:MAX_MSG] if text else None

    def _result(self, status, result, ignored=False):
        task = result._task
        self._write(
            {
                "event": "result",
                "status": status,
                "host": result._host.get_name(),
                "task": task.get_name(),
                "role": self._role(task),
                "action": task.action,
                "changed": bool(result._result.get("changed", False)),
                "ignored": bool(ignored),
                "msg": self._message(result) if status in ("failed", "unreachable") else None,
            }
        )

    def v2_playbook_on_start(self, playbook):
        self._write({"event": "playbook_start", "playbook": os.path.basename(playbook._file_name)})

    def v2_playbook_on_play_start(self, play):
        self._write({"event": "play_start", "play": play.get_name()})

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._write({"event": "task_start", "task": task.get_name(), "role": self._role(task), "handler": False})

    def v2_playbook_on_handler_task_start(self, task):
        self._write({"event": "task_start", "task": task.get_name(), "role": self._role(task), "handler": True})

    def v2_runner_on_ok(self, result):
        self._result("changed" if result._result.get("changed", False) else "ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._result("failed", result, ignored=ignore_errors)

    def v2_runner_on_skipped(self, result):
        self._result("skipped", result)

    def v2_runner_on_unreachable(self, result):
        self._result("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        hosts = {}
        for host in sorted(stats.processed.keys()):
            hosts[host] = stats.summarize(host)
        self._write({"event": "stats", "hosts": hosts})
        if self._out is not None:
            self._out.close()
            self._out = None
