#!/usr/bin/env bash
# Lighthouse scores of Centric's public pages and a customer's order page, on the published app in Production with a
# seeded demo (SQLite). Usage: bench/lighthouse/run.sh [runs per page, default 3]. Prints the median of each category.
set -euo pipefail
cd "$(dirname "$0")"
runs=${1:-3}
root=$(cd ../.. && pwd)
work=$(mktemp -d)
port=5097
trap 'fuser -k $port/tcp >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

[ -x node_modules/.bin/lighthouse ] || npm ci --no-audit --no-fund >/dev/null
dotnet publish "$root/src/Centric.Server" -c Release -o "$work/app" -v quiet -nologo >/dev/null

# Production, with the demo seeded on purpose so the pages have a shop to show (90 days of history is enough).
(cd "$work/app" && ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS=http://127.0.0.1:$port \
  ConnectionStrings__Default="Data Source=$work/centric.db" Database__SeedDemoData=true Demo__HistoryDays=90 \
  Centric__PublicBaseUrl=http://127.0.0.1:$port Logging__LogLevel__Default=Warning \
  dotnet Centric.Server.dll >"$work/server.log" 2>&1 &)
for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break; sleep 1; done

base="http://127.0.0.1:$port"
# A product and a help article, as search engines find them: from the sitemap.
sitemap=$(curl -fs "$base/sitemap.xml")
product=$(grep -o "<loc>$base/shop/[^<]*</loc>" <<<"$sitemap" | head -1 | sed -e "s#<loc>$base/##" -e 's#</loc>##')
article=$(grep -o "<loc>$base/help/[^<]*</loc>" <<<"$sitemap" | head -1 | sed -e "s#<loc>$base/##" -e 's#</loc>##')
# A customer's order page, opened the way the confirmation mail opens it (its number and key).
order=$(python3 -c "import sqlite3; r=sqlite3.connect('$work/centric.db').execute(\"select Number, AccessKey from commerce_orders where Status='Shipped' limit 1\").fetchone(); print(f'orders/{r[0]}?key={r[1]}')")

pages=("" "shop" "$product" "help" "$article" "$order")
printf '%-40s %6s %6s %6s %6s\n' page perf a11y best seo
for page in "${pages[@]}"; do
  for i in $(seq 1 "$runs"); do
    node_modules/.bin/lighthouse "$base/$page" --quiet --output=json --output-path="$work/r$i.json" \
      --only-categories=performance,accessibility,best-practices,seo --form-factor=desktop --screenEmulation.disabled \
      --throttling-method=provided \
      --chrome-path=/usr/bin/chromium \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" >/dev/null 2>&1
  done
  python3 - "$page" "$work" "$runs" <<'PY'
import json, statistics, sys
page, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
cats = ["performance", "accessibility", "best-practices", "seo"]
scores = {c: [] for c in cats}
for i in range(1, runs + 1):
    r = json.load(open(f"{work}/r{i}.json"))
    for c in cats:
        scores[c].append(round(r["categories"][c]["score"] * 100))
label = ("/" + page)[:40]
print(f"{label:<40} " + " ".join(f"{statistics.median(scores[c]):>6.0f}" for c in cats))
PY
done
