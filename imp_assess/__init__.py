from imp_assess.celery import app as celery_app

__all__ = ("celery_app",)
