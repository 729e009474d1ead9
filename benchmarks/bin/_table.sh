# shellcheck shell=bash
# Sourced by compare.sh: renders the performance table (issue 13's shape) as Markdown from the
# results.tsv files of grpc-java-bench.sh (rows: ROUND PEER SCENARIO METRIC VALUE).
#
#   render_table SERVER_TSV [CLIENT_TSV]
#
# SERVER_TSV comes from one interleaved run with the peers grpc-java (AsyncServer, default
# executor), gj-direct (AsyncServer --directexecutor), ours (BenchmarkServer) and ours-direct
# (BenchmarkServer --direct), all driven by grpc-java's AsyncClient. Every ratio is the median over
# rounds of the per-round ratio (paired: same round, same load generator), so that a slow round
# slows both sides. CLIENT_TSV, when given, comes from a second run with our BenchmarkClient as the
# load generator (peer ours, baseline grpc-java): it adds the client rows, compared with the
# AsyncClient rows of SERVER_TSV (not interleaved: the runs follow each other).

render_table() {
  local server_tsv=$1 client_tsv=${2:-}
  [[ -s $server_tsv ]] || { echo "render_table: no results in $server_tsv" >&2; return 1; }
  awk -F'\t' -v client_file="$client_tsv" '
    function median(list,    n, i, j, t, a) {
      n = split(list, a, " ")
      if (n == 0) return ""
      for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
      return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    # value(src, peer, scen, metric): median over rounds
    function value(src, peer, scen, metric,    k) {
      k = src SUBSEP peer SUBSEP scen SUBSEP metric
      return (k in vals) ? median(vals[k]) : ""
    }
    # ratio(srcA, peerA, srcB, peerB, scen, metric): median over rounds of A/B; when the two
    # sources differ (not interleaved) the ratio of the medians
    function ratio(sa, pa, sb, pb, scen, metric,    r, list, ka, kb, x, y, a, b) {
      if (sa != sb) {
        x = value(sa, pa, scen, metric); y = value(sb, pb, scen, metric)
        return (x == "" || y == "" || y == 0) ? "" : x / y
      }
      list = ""
      for (r in rounds) {
        ka = sa SUBSEP r SUBSEP pa SUBSEP scen SUBSEP metric
        kb = sb SUBSEP r SUBSEP pb SUBSEP scen SUBSEP metric
        if ((ka in one) && (kb in one) && one[kb] > 0) list = list " " one[ka] / one[kb]
      }
      return median(list)
    }
    function num(v) {
      if (v == "") return "–"
      if (v >= 1000000) return sprintf("%.2fM", v / 1000000)
      if (v >= 1000) return sprintf("%.1fk", v / 1000)
      return (v == int(v)) ? sprintf("%d", v) : sprintf("%.1f", v)
    }
    function x(v) { return (v == "") ? "–" : sprintf("%.2f×", v) }
    function row(label, scen, metric, src, client_peer,    g, d, o, od) {
      src = (src == "") ? "s" : src
      g = value("s", "grpc-java", scen, metric); d = value("s", "gj-direct", scen, metric)
      o = value(src, client_peer == "" ? "ours" : client_peer, scen, metric)
      od = value(src, "ours-direct", scen, metric)
      if (g == "" && o == "") return
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", label, num(g), num(o),
        x(ratio(src, client_peer == "" ? "ours" : client_peer, "s", "grpc-java", scen, metric)),
        num(d), num(od), x(ratio(src, "ours-direct", "s", "grpc-java", scen, metric)),
        x(ratio(src, "ours-direct", "s", "gj-direct", scen, metric))
    }
    FNR == 1 { src = (FILENAME == client_file) ? "c" : "s" }
    $2 == "limits" { next }
    {
      k = src SUBSEP $2 SUBSEP $3 SUBSEP $4
      vals[k] = vals[k] " " $5
      one[src SUBSEP $1 SUBSEP $2 SUBSEP $3 SUBSEP $4] = $5
      rounds[$1] = 1; if ($1 + 0 > nrounds) nrounds = $1 + 0
      if ($4 == "other_cpu_pct" && $5 + 0 > 10) noisy = 1
      seen[src SUBSEP $3] = 1
    }
    END {
      print "| scenario, metric | grpc-java default | Switchboard default | ratio | grpc-java --directexecutor | Switchboard on the event loop | ratio vs gj default | ratio vs gj direct |"
      print "|---|---|---|---|---|---|---|---|"
      if (("s" SUBSEP "S1") in seen) {
        row("S1 unary 1×1: QPS", "S1", "qps"); row("S1 p50 µs", "S1", "p50_us"); row("S1 p99 µs", "S1", "p99_us")
      }
      if (("s" SUBSEP "S2") in seen) {
        row("S2 unary 1×64: QPS", "S2", "qps"); row("S2 p99 µs", "S2", "p99_us")
        row("S2 server CPU µs/RPC", "S2", "srv_cpu_us_per_rpc"); row("S2 server bytes/RPC (0-byte unary)", "S2", "srv_alloc_B_per_rpc")
      }
      if (("s" SUBSEP "S3") in seen) { row("S3 ping-pong: msgs/s", "S3", "qps"); row("S3 p50 µs", "S3", "p50_us") }
      if (("s" SUBSEP "S4") in seen) {
        row("S4 1 MiB each way: MiB/s", "S4", "mib_s"); row("S4 server CPU µs/RPC", "S4", "srv_cpu_us_per_rpc")
        row("S4 server bytes/RPC", "S4", "srv_alloc_B_per_rpc")
      }
      if (("s" SUBSEP "H2") in seen) {
        row("H2 h2load 64 streams: req/s", "H2", "qps"); row("H2 server CPU µs/RPC", "H2", "srv_cpu_us_per_rpc")
        row("H2 server bytes/RPC", "H2", "srv_alloc_B_per_rpc")
      }
      if (client_file != "") {
        print ""
        print "Clients (our BenchmarkClient against each server; ratio = ours ÷ grpc-java AsyncClient against the same server, from the run above, not interleaved):"
        print ""
        print "| scenario, metric | AsyncClient → grpc-java | BenchmarkClient → grpc-java | ratio | AsyncClient → ours | BenchmarkClient → ours | ratio | our pair ÷ grpc-java pair |"
        print "|---|---|---|---|---|---|---|---|"
        split("S2:qps:S2 QPS,S2:cli_cpu_us_per_rpc:S2 client CPU µs/RPC,S2:cli_alloc_B_per_rpc:S2 client bytes/RPC,S4:mib_s:S4 MiB/s", specs, ",")
        for (i = 1; i in specs; i++) {
          split(specs[i], f, ":")
          if (!(("c" SUBSEP f[1]) in seen)) continue
          ag = value("s", "grpc-java", f[1], f[2]); bg = value("c", "grpc-java", f[1], f[2])
          ao = value("s", "ours", f[1], f[2]); bo = value("c", "ours", f[1], f[2])
          printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", f[3], num(ag), num(bg),
            x(ratio("c", "grpc-java", "s", "grpc-java", f[1], f[2])), num(ao), num(bo),
            x(ratio("c", "ours", "s", "ours", f[1], f[2])), x(ratio("c", "ours", "s", "grpc-java", f[1], f[2]))
        }
      }
      print ""
      printf "Medians over %d round(s); ratios are medians of per-round paired ratios (Switchboard ÷ grpc-java): above 1 is better for QPS, MiB/s and msgs/s, below 1 for latency, CPU and bytes.\n", nrounds
      if (noisy) print "WARNING: other processes used more than 10 % of the machine during a run; rerun when it is quiet."
    }' "$server_tsv" ${client_tsv:+"$client_tsv"}
}
