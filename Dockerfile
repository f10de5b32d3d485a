# imp-assess application image: web (gunicorn), worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# chromium drives Plotly's static figure export (kaleido) for PDF scorecards;
# Pango and fonts are what WeasyPrint lays the PDFs out with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium curl gettext \
       libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# collectstatic needs settings that import; the real key comes from the environment at run time.
RUN DEBUG=1 python manage.py collectstatic --noinput
# The translation catalogues are compiled here (.mo files are not committed).
RUN DEBUG=1 python manage.py compilemessages --ignore=.venv

# The exports volume is mounted here; created in the image so that it belongs to imp.
RUN mkdir -p /app/var/media/exports && useradd --system --home /app imp && chown -R imp /app
USER imp
EXPOSE 8000
CMD ["gunicorn", "imp_assess.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
