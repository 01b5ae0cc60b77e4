# sweepchart.awk - draw bench-sweep.log: an SVG chart and a text one.
#
# Usage: awk -v svg=FILE.svg -f sweepchart.awk bench-sweep.log >FILE.txt
# Reads the log that tests/sweep.sh writes and nothing else: its header
# ("# ..." lines) and one line per run, "sweep=NAME run=WHAT" then the
# bench's own key=value fields.  Every figure drawn is the median of the
# runs of one NAME, WHAT and size.  The text chart (stdout) fits in 72
# columns (80 once a manual page indents it): throughput, one row per mechanism and one column per size,
# the fastest mechanism at each size marked with a star; then the 64 B
# round trips.  The SVG plots MiB/s against the message size, both on
# log scales, one line per mechanism, memcpy as the ceiling.

# The value of KEY= on the current line, or "".
function get(key,    i) {
	for (i = 1; i <= NF; i++)
		if (index($i, key "=") == 1)
			return substr($i, length(key) + 2)
	return ""
}

# A figure in at most 5 characters: whole numbers from 100, thousands
# ("148k") from 100000, a decimal below 100.  KUSED: a "k" was printed,
# so the chart's legend says what it means.
function num(x) {
	if (x == "")
		return "-"
	if (x >= 99999.5) {
		kused = 1
		return sprintf("%.0fk", x / 1000)
	}
	return x >= 99.95 ? sprintf("%.0f", x) : x >= 0.995 ? \
	    sprintf("%.1f", x) : sprintf("%.2g", x)
}

# The median of the values of KEY (KEY: name SUBSEP run SUBSEP size).
function median(key,    n, i, j, t, v) {
	n = cnt[key]
	if (n == 0)
		return ""
	for (i = 1; i <= n; i++)
		v[i] = val[key, i] + 0
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && v[j - 1] > v[j]; j--) {
			t = v[j]
			v[j] = v[j - 1]
			v[j - 1] = t
		}
	return v[int((n + 1) / 2)]
}

function sizename(s) {
	s += 0
	if (s >= 1048576)
		return (s / 1048576) " MiB"
	if (s >= 1024)
		return (s / 1024) " KiB"
	return s " B"
}

function log10(x) {
	return log(x) / log(10)
}

# Text escaped for XML.
function xml(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	return s
}

function xpos(s) {
	return sprintf("%.1f", L + (log(s) / log(2) - 6) / 14 * W)
}

function ypos(v) {
	return sprintf("%.1f", T + H - (log10(v) - ylo) / (yhi - ylo) * H)
}

BEGIN {
	nsizes = split("64 256 1024 4096 16384 65536 262144 1048576", size, " ")
	# Colours and dashes, in the order the mechanisms first appear.
	split("#1f77b4 #1f77b4 #17becf #d62728 #ff7f0e #2ca02c #2ca02c " \
	    "#8c564b #9467bd #e377c2 #7f7f7f #bcbd22", colour, " ")
	split("none|8,4|2,3|none|6,3|none|8,4|2,3|none|6,3,2,3|none|none",
	    dash, "|")
}

/^#/ {
	head[++nhead] = substr($0, 3)
	if ($0 ~ /^# pinning: /)
		pinning = substr($0, 12)
	next
}

/^sweep=/ {
	name = get("sweep")
	run = get("run")
	if (!(name in seen)) {
		seen[name] = 1
		if (name != "memcpy")
			order[++nmech] = name
	}
	if (run == "limit") {
		limit[name] = get("max")
		limitsrc[name] = get("source")
		next
	}
	v = run ~ /^rtt/ ? get("rtt_p50_us") : get("mib_per_s")
	if (v == "")
		next
	# A round trip is filed under 64 B: a lock or a signal has size=0.
	key = name SUBSEP run SUBSEP (run ~ /^rtt/ ? 64 : get("size"))
	val[key, ++cnt[key]] = v
	runs[name, run] = 1
	nruns = cnt[key] > nruns ? cnt[key] : nruns
}

END {
	# The medians, and the fastest mechanism at each size.
	for (m = 1; m <= nmech; m++)
		for (i = 1; i <= nsizes; i++) {
			f = median(order[m] SUBSEP "tput" SUBSEP size[i])
			fig[m, i] = f
			if (f != "" && (best[i] == "" || f + 0 > fig[best[i], i] + 0))
				best[i] = m
		}
	for (i = 1; i <= nsizes; i++)
		ceil[i] = median("memcpy" SUBSEP "tput" SUBSEP size[i])

	text()
	if (svg != "")
		draw()
}

function text(    m, i, row, c, any, lim, pin) {
	printf "Throughput, MiB/s, median of %d runs; * the fastest at each size\n",
	    nruns
	# The streams' pinning (the round trips' columns say theirs).
	pin = pinning
	sub(/;.*/, "", pin)
	if (pin != "")
		printf "Pinning: %s\n", pin
	row = sprintf("%-11s", "mechanism")
	for (i = 1; i <= nsizes; i++) {
		c = sizename(size[i])
		sub(/ /, "", c)
		row = row sprintf("%7s", c)
	}
	print row
	row = sprintf("%-11s", "memcpy")
	for (i = 1; i <= nsizes; i++)
		row = row sprintf("%6s ", num(ceil[i]))
	sub(/ +$/, "", row)
	print row
	for (m = 1; m <= nmech; m++) {
		if (!((order[m], "tput") in runs))
			continue
		row = sprintf("%-11s", order[m])
		for (i = 1; i <= nsizes; i++) {
			if (order[m] in limit && size[i] > limit[order[m]] + 0)
				c = "limit"
			else
				c = num(fig[m, i])
			row = row sprintf("%6s%s", c, best[i] == m ? "*" : " ")
		}
		sub(/ +$/, "", row)
		print row
	}
	print "memcpy, the ceiling: one core copying a buffer of that size."
	if (kused)
		print "k: thousands."
	lim = 0
	for (m = 1; m <= nmech; m++)
		if (order[m] in limit) {
			if (!lim++)
				print "limit: beyond the queue's largest message:"
			printf "  %s, %s B (%s)\n", order[m], limit[order[m]],
			    limitsrc[order[m]]
		}

	any = 0
	for (m = 1; m <= nmech; m++)
		if ((order[m], "rtt-cross") in runs)
			any = 1
	if (!any)
		return
	print ""
	printf "64 B round trip, p50 us, median of %d runs\n", nruns
	printf "%-11s %10s %10s\n", "mechanism", "--cpu 0,1", "--cpu 0,0"
	for (m = 1; m <= nmech; m++) {
		if (!((order[m], "rtt-cross") in runs))
			continue
		printf "%-11s %10s %10s\n", order[m],
		    num(median(order[m] SUBSEP "rtt-cross" SUBSEP 64)),
		    num(median(order[m] SUBSEP "rtt-one" SUBSEP 64))
	}
}

function draw(    m, i, f, lo, hi, d, pts, n, k, t, xy, tmp, lines, ly,
    lim, shown, last, lastfig, dt, pin) {
	# The plot area: left, top, width, height; the legend on the right.
	L = 80; T = 78; W = 560; H = 380
	lo = ""; hi = ""
	for (i = 1; i <= nsizes; i++) {
		if (ceil[i] != "") {
			lo = lo == "" || ceil[i] + 0 < lo ? ceil[i] + 0 : lo
			hi = hi == "" || ceil[i] + 0 > hi ? ceil[i] + 0 : hi
		}
		for (m = 1; m <= nmech; m++)
			if ((f = fig[m, i]) != "" && f + 0 > 0) {
				lo = lo == "" || f + 0 < lo ? f + 0 : lo
				hi = hi == "" || f + 0 > hi ? f + 0 : hi
			}
	}
	if (lo == "" || lo <= 0) {
		lo = 1
		hi = 10
	}
	ylo = int(log10(lo))
	if (ylo > log10(lo))
		ylo--
	yhi = int(log10(hi))
	if (yhi < log10(hi))
		yhi++
	if (yhi <= ylo)
		yhi = ylo + 1

	print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" >svg
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"860\" " \
	    "height=\"560\" viewBox=\"0 0 860 560\" " \
	    "font-family=\"sans-serif\" font-size=\"12\">\n" >svg
	printf "<title>Throughput against message size, make bench-sweep" \
	    "</title>\n" >svg
	print "<rect x=\"0\" y=\"0\" width=\"860\" height=\"560\" " \
	    "fill=\"white\"/>" >svg
	printf "<text x=\"%d\" y=\"24\" font-size=\"16\" " \
	    "font-weight=\"bold\">Throughput against message size " \
	    "(make bench-sweep)</text>\n", L >svg
	printf "<text x=\"%d\" y=\"42\">%s</text>\n", L, xml(head[2]) >svg
	# The date, and how the streams ran (the part before the round trips').
	dt = head[1]
	sub(/^make bench-sweep, /, "", dt)
	pin = pinning
	sub(/;.*/, "", pin)
	printf "<text x=\"%d\" y=\"58\">%s; median of %d runs; pinning: " \
	    "%s</text>\n", L, xml(dt), nruns, xml(pin) >svg

	# Grid and labels: a line at every power of ten, one at every size.
	print "<g stroke=\"#dddddd\" stroke-width=\"1\">" >svg
	for (d = ylo; d <= yhi; d++)
		printf "<line x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\"/>\n", L,
		    ypos(10 ^ d), L + W, ypos(10 ^ d) >svg
	for (i = 1; i <= nsizes; i++)
		printf "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>\n",
		    xpos(size[i]), T, xpos(size[i]), T + H >svg
	print "</g>" >svg
	printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" " \
	    "fill=\"none\" stroke=\"black\"/>\n", L, T, W, H >svg
	print "<g text-anchor=\"end\">" >svg
	for (d = ylo; d <= yhi; d++)
		printf "<text x=\"%d\" y=\"%s\" dy=\"4\">%d</text>\n", L - 6,
		    ypos(10 ^ d), 10 ^ d >svg
	print "</g>" >svg
	print "<g text-anchor=\"middle\">" >svg
	for (i = 1; i <= nsizes; i++)
		printf "<text x=\"%s\" y=\"%d\">%s</text>\n", xpos(size[i]),
		    T + H + 18, sizename(size[i]) >svg
	printf "<text x=\"%d\" y=\"%d\">message size (log scale)</text>\n",
	    L + W / 2, T + H + 38 >svg
	printf "<text transform=\"translate(24 %d) rotate(-90)\">" \
	    "MiB/s (log scale)</text>\n", T + H / 2 >svg
	print "</g>" >svg

	# A queue's limit: a dotted line where its messages stop.
	for (m = 1; m <= nmech; m++) {
		if (!(order[m] in limit))
			continue
		lim = limit[order[m]] + 0
		if (lim < size[1] || lim > size[nsizes] || (lim in shown))
			continue
		shown[lim] = 1
		printf "<line x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\" " \
		    "stroke=\"#d62728\" stroke-dasharray=\"1,3\"/>\n",
		    xpos(lim), T, xpos(lim), T + H >svg
		printf "<text x=\"%s\" y=\"%d\" dx=\"4\" fill=\"#d62728\">" \
		    "queue limit %s</text>\n", xpos(lim), T + 14,
		    sizename(lim) >svg
	}

	# memcpy, the ceiling: a broad grey band.
	pts = ""
	for (i = 1; i <= nsizes; i++)
		if (ceil[i] + 0 > 0)
			pts = pts " " xpos(size[i]) "," ypos(ceil[i])
	if (pts != "")
		printf "<polyline id=\"memcpy\" fill=\"none\" stroke=\"#999999\" " \
		    "stroke-width=\"6\" stroke-opacity=\"0.5\" " \
		    "points=\"%s\"/>\n", substr(pts, 2) >svg

	# One line per mechanism, a dot at each figure.
	n = 0
	for (m = 1; m <= nmech; m++) {
		if (!((order[m], "tput") in runs))
			continue
		pts = ""
		last = ""
		for (i = 1; i <= nsizes; i++)
			if (fig[m, i] + 0 > 0) {
				pts = pts " " xpos(size[i]) "," ypos(fig[m, i])
				last = fig[m, i]
			}
		if (pts == "")
			continue
		printf "<polyline id=\"%s\" fill=\"none\" stroke=\"%s\" " \
		    "stroke-width=\"2\"%s points=\"%s\"/>\n", order[m],
		    colour[m], dash[m] == "none" ? "" : \
		    " stroke-dasharray=\"" dash[m] "\"", substr(pts, 2) >svg
		printf "<g fill=\"%s\">", colour[m] >svg
		k = split(substr(pts, 2), t, " ")
		for (i = 1; i <= k; i++) {
			split(t[i], xy, ",")
			printf "<circle cx=\"%s\" cy=\"%s\" r=\"2.5\"/>", xy[1],
			    xy[2] >svg
		}
		print "</g>" >svg
		n++
		lines[n] = m
		lastfig[m] = last
	}

	# The legend, in the order of each line's last figure, top down.
	for (i = 1; i <= n; i++)
		for (k = i; k > 1 && lastfig[lines[k - 1]] + 0 < \
		    lastfig[lines[k]] + 0; k--) {
			tmp = lines[k]
			lines[k] = lines[k - 1]
			lines[k - 1] = tmp
		}
	ly = T + 8
	printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" " \
	    "stroke=\"#999999\" stroke-width=\"6\" stroke-opacity=\"0.5\"/>\n",
	    L + W + 20, ly, L + W + 50, ly >svg
	printf "<text x=\"%d\" y=\"%d\" dy=\"4\">memcpy (the ceiling)" \
	    "</text>\n", L + W + 56, ly >svg
	for (i = 1; i <= n; i++) {
		m = lines[i]
		ly += 20
		printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" " \
		    "stroke=\"%s\" stroke-width=\"2\"%s/>\n", L + W + 20, ly,
		    L + W + 50, ly, colour[m], dash[m] == "none" ? "" : \
		    " stroke-dasharray=\"" dash[m] "\"" >svg
		printf "<text x=\"%d\" y=\"%d\" dy=\"4\">%s%s</text>\n",
		    L + W + 56, ly, order[m], order[m] in limit ? \
		    " (to " sizename(last_below(limit[order[m]])) ")" : "" >svg
	}

	# Notes under the plot.
	ly = T + H + 62
	for (m = 1; m <= nmech; m++)
		if (order[m] in limit) {
			printf "<text x=\"%d\" y=\"%d\">%s stops at %s: its " \
			    "kernel's largest message is %s bytes (%s).</text>\n",
			    L, ly, order[m], sizename(last_below(limit[order[m]])),
			    limit[order[m]], xml(limitsrc[order[m]]) >svg
			ly += 16
		}
	printf "<text x=\"%d\" y=\"%d\">memcpy: one core copying a buffer " \
	    "of each size; a message through the kernel is copied at " \
	    "least once.</text>\n", L, ly >svg
	print "</svg>" >svg
	close(svg)
}

# The largest size of the sweep not above LIM.
function last_below(lim,    i, s) {
	s = size[1]
	for (i = 1; i <= nsizes; i++)
		if (size[i] <= lim + 0)
			s = size[i]
	return s
}
