#!/usr/bin/env bash
# Lighthouse scores of Centric's public pages, a customer's order page and the console's customer 360, on the published app in Production with a
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
# Signed in: Ana's own order page (one that is on its way), and her customer 360 in the console as the admin, who
# signs in with an authenticator code as staff must in Production.
db="$work/centric.db"
ana=$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute(\"select ProfileId from customers_identities where Value='ana.silva@example.com'\").fetchone()[0].lower())")
order=$(python3 -c "import sqlite3; print(sqlite3.connect('$db').execute(\"select Number from commerce_orders where ProfileId=upper('$ana') order by Status in (4,5) desc, PlacedAt desc limit 1\").fetchone()[0])")
customer_cookie=$(python3 sign_in.py "$base" ana.silva@example.com Centric-demo-2026)
staff_cookie=$(python3 sign_in.py "$base" admin@centric.demo Centric-demo-2026 --authenticator)

# page|who: nobody, the customer or staff
pages=("|" "shop|" "$product|" "help|" "$article|" "orders/$order|customer" "console/customers/$ana|staff")
printf '%-40s %6s %6s %6s %6s\n' page perf a11y best seo
for entry in "${pages[@]}"; do
  page=${entry%%|*} who=${entry#*|} headers=()
  [ "$who" = customer ] && headers=(--extra-headers="$(python3 -c 'import json,sys; print(json.dumps({"Cookie": sys.argv[1]}))' "$customer_cookie")")
  [ "$who" = staff ] && headers=(--extra-headers="$(python3 -c 'import json,sys; print(json.dumps({"Cookie": sys.argv[1]}))' "$staff_cookie")")
  for i in $(seq 1 "$runs"); do
    node_modules/.bin/lighthouse "$base/$page" "${headers[@]}" --quiet --output=json --output-path="$work/r$i.json" \
      --only-categories=performance,accessibility,best-practices,seo --form-factor=desktop --screenEmulation.disabled \
      --throttling-method=provided \
      --chrome-path=/usr/bin/chromium \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" >/dev/null 2>&1
  done
  python3 - "$page" "$work" "$runs" "$base/$page" <<'PY'
import json, statistics, sys
page, work, runs, url = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
cats = ["performance", "accessibility", "best-practices", "seo"]
scores = {c: [] for c in cats}
for i in range(1, runs + 1):
    r = json.load(open(f"{work}/r{i}.json"))
    # A page that sent Lighthouse elsewhere (a sign-in that did not hold) was not measured: say so.
    if r["finalDisplayedUrl"].split("#")[0] != url:
        sys.exit(f"/{page}: landed on {r['finalDisplayedUrl']}")
    for c in cats:
        scores[c].append(round(r["categories"][c]["score"] * 100))
label = ("/" + page)[:40]
print(f"{label:<40} " + " ".join(f"{statistics.median(scores[c]):>6.0f}" for c in cats))
PY
done
