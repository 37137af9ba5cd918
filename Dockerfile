# Vykup's image: the wheel, pinned by constraints.txt, in a venv run by an unprivileged user.
#   docker build -t vykup .        (docker compose builds it too: see docker-compose.yml)
# The build stage runs deploy/install.sh, the same script the wheel test runs
# (tests/deploy/test_wheel.py), so the image installs what the tests installed.

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md constraints.txt ./
COPY deploy/install.sh deploy/install.sh
COPY bot bot
COPY handlers handlers
COPY storage storage
COPY locales locales
RUN sh deploy/install.sh /src /opt/vykup

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /var/lib/vykup vykup
COPY --from=build /opt/vykup /opt/vykup
ENV PATH=/opt/vykup/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    API_HOST=0.0.0.0
USER vykup
# SQLite's ./data/vykup.db (the default DATABASE_URL) and return photos live here.
WORKDIR /var/lib/vykup
VOLUME ["/var/lib/vykup"]
EXPOSE 8080
# vykup stops cleanly on SIGTERM: in-flight work finishes, nothing queued is lost.
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('API_PORT', '8080'), timeout=4)"
ENTRYPOINT ["vykup"]
CMD ["run"]
