from django.apps import AppConfig


class ClusterPortalConfig(AppConfig):
    name = "clusterportal"
    verbose_name = "ClusterPortal"
