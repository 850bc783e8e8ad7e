import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterportal.settings")

app = Celery("clusterportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
if not app.conf.broker_url:
    # No broker: tasks run in process (settings.CELERY_TASK_ALWAYS_EAGER), yet Celery still
    # builds a producer for each one; in memory it needs no server, where the default would
    # be an AMQP server on localhost, announced with a warning on every command.
    app.conf.broker_url = "memory://localhost/"
app.autodiscover_tasks()
