#!/usr/bin/env bash
# Renders the Grafana dashboard's panels from a live run, for docs/dashboard.png, where no Grafana runs: Callbridge in
# the dev profile (embedded broker, sandbox CRMs), Debian's Prometheus scraping it every 2 s with the alert rules,
# five minutes of calls, lookups and faults (HubSpot 429s, HubSpot down 40 s, a record HubSpot refuses, invalid
# events), then each panel's query from docker/grafana/dashboards/callbridge.json graphed by Prometheus's own UI in
# headless Chromium. Needs: target/callbridge.jar (mvn -B -DskipTests package), prometheus, chromium, python3, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT

java @jvm.options -Dcamel.main.profile=dev -jar target/callbridge.jar > "$work/callbridge.log" 2>&1 &
until curl -sf localhost:8080/observe/health/ready > /dev/null; do sleep 1; done
key=$(grep -o "dev-[A-Za-z0-9_-]*" "$work/callbridge.log" | head -1)

cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: 2s, evaluation_interval: 2s}
rule_files: ["$PWD/docker/prometheus/alerts.yml"]
scrape_configs:
  - job_name: callbridge
    metrics_path: /observe/metrics
    authorization: {type: Bearer, credentials: "$key"}
    static_configs: [{targets: ["localhost:8080"]}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" --web.listen-address=localhost:9099 \
  > "$work/prometheus.log" 2>&1 &

post() { # a call from one of 50 callers, a new event id each time
  python3 - "$1" <<'PY' | curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data-binary @- localhost:8080/v1/call-events
import json, sys, uuid
e = json.load(open('src/test/resources/events/design-example.json'))
e['id'] = str(uuid.uuid4()); e['data']['callId'] = 'call-' + e['id']
e['data']['from'] = '+4179555%04d' % (int(sys.argv[1]) % 50)
e['data'].pop('customerE164', None)
print(json.dumps(e))
PY
}
fault() { curl -s -o /dev/null -X PUT -H 'Content-Type: application/json' -d "$2" "localhost:8089/_sandbox/$1/faults"; }

for second in $(seq 1 300); do
  post "$second" &
  curl -s -o /dev/null -H "Authorization: Bearer $key" "localhost:8080/v1/callers/+4179555$(printf %04d $((second % 60)))" &
  case $second in
    60) fault hubspot '{"script":[{"match":"POST .*/crm/v3/objects/calls","status":429,"repeat":6}]}' ;;
    120) fault hubspot '{"outage":{"startsInMs":0,"durationMs":40000,"status":503}}' ;;
    200) fault hubspot '{"script":[{"match":"POST .*/crm/v3/objects/deals","status":400,"body":{"status":"error","message":"Property values were not valid","category":"VALIDATION_ERROR"}}]}' ;;
  esac
  (( second % 30 == 0 )) && curl -s -o /dev/null -X POST -H 'Content-Type: application/json' -d '{"specversion":"1.0"}' localhost:8080/v1/call-events
  sleep 1
done
sleep 10

url=$(python3 - <<'PY'
import json, urllib.parse
d = json.load(open('docker/grafana/dashboards/callbridge.json'))
wanted = ['Calls logged per CRM', 'CRM error rate per CRM', 'CRM latency p95 per CRM', 'Consumer lag per CRM',
          'Dead letters per CRM', 'Lookup latency p50 / p95 / p99']
q = {}
for n, title in enumerate(wanted):
    panel = next(p for p in d['panels'] if p.get('title') == title)
    expr = panel['targets'][0]['expr'].replace('$crm', '.+').replace('$__rate_interval', '30s')
    q.update({f'g{n}.expr': expr, f'g{n}.tab': '0', f'g{n}.range_input': '6m', f'g{n}.stacked': '0'})
print('http://localhost:9099/graph?' + urllib.parse.urlencode(q))
PY
)
chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync \
  --no-first-run --user-data-dir="$work/chromium" --window-size=1400,5200 --virtual-time-budget=15000 \
  --screenshot="$PWD/docs/dashboard.png" "$url"
echo "docs/dashboard.png written; Prometheus's alerts at the end of the run:"
curl -s localhost:9099/api/v1/alerts | python3 -c 'import json,sys; [print(" ", a["labels"]["alertname"], a["labels"].get("crm",""), a["state"]) for a in json.load(sys.stdin)["data"]["alerts"]]'
