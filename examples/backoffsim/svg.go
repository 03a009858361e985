package main

import (
	"fmt"
	"io"
	"strings"
)

var colors = map[string]string{
	"none": "#888888", "exponential": "#d62728", "equal": "#ff7f0e", "full": "#2ca02c", "decorrelated": "#1f77b4",
}

// series is one line of a chart panel: a name, a colour and its values by
// client count.
type series struct {
	name, color string
	points      map[int]float64
}

// panel is one chart: a title and its lines.
type panel struct {
	title string
	lines []series
}

// writeSVG draws two line charts side by side: mean calls and mean time
// against the number of clients, one line per strategy.
func writeSVG(w io.Writer, rows []row, clients []int) error {
	panels := []panel{{title: "mean calls (writes)"}, {title: "mean time until all succeed (ms)"}}
	for _, s := range strategies {
		calls, ms := series{s, colors[s], map[int]float64{}}, series{s, colors[s], map[int]float64{}}
		for _, r := range rows {
			if r.strategy == s {
				calls.points[r.clients], ms.points[r.clients] = r.calls, r.timeMS
			}
		}
		panels[0].lines = append(panels[0].lines, calls)
		panels[1].lines = append(panels[1].lines, ms)
	}
	return writePanels(w, panels, clients)
}

var throttleColors = map[string]string{"none": "#888888", "standard": "#d62728", "adaptive": "#2ca02c"}

// writeThrottleSVG draws the throttling scenario: throttled calls and
// goodput against the number of clients, one line per mode.
func writeThrottleSVG(w io.Writer, rows []throttleRow, clients []int) error {
	panels := []panel{{title: "mean throttled calls"}, {title: "mean goodput (successful requests/s)"}}
	for _, m := range throttleModes {
		th, gp := series{m, throttleColors[m], map[int]float64{}}, series{m, throttleColors[m], map[int]float64{}}
		for _, r := range rows {
			if r.mode == m {
				th.points[r.clients], gp.points[r.clients] = r.throttled, r.goodput
			}
		}
		panels[0].lines = append(panels[0].lines, th)
		panels[1].lines = append(panels[1].lines, gp)
	}
	return writePanels(w, panels, clients)
}

// writePanels draws line charts side by side against the number of clients.
func writePanels(w io.Writer, panels []panel, clients []int) error {
	const width, height, pad = 480, 320, 50
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">`+"\n", 2*width, height+40)
	maxClients := float64(clients[len(clients)-1])
	for _, c := range clients {
		maxClients = max(maxClients, float64(c))
	}
	for pi, p := range panels {
		x0 := float64(pi*width + pad)
		maxV := 0.0
		for _, l := range p.lines {
			for _, v := range l.points {
				maxV = max(maxV, v)
			}
		}
		if maxV == 0 {
			maxV = 1
		}
		sx := func(c float64) float64 { return x0 + c/maxClients*float64(width-2*pad) }
		sy := func(v float64) float64 { return float64(height-pad) - v/maxV*float64(height-2*pad) }
		fmt.Fprintf(&b, `<text x="%.0f" y="20" font-size="13">%s</text>`+"\n", x0, p.title)
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%d" x2="%.0f" y2="%d" stroke="black"/>`+"\n", x0, height-pad, x0+float64(width-2*pad), height-pad)
		fmt.Fprintf(&b, `<line x1="%.0f" y1="%d" x2="%.0f" y2="%d" stroke="black"/>`+"\n", x0, pad, x0, height-pad)
		fmt.Fprintf(&b, `<text x="%.0f" y="%d">0</text><text x="%.0f" y="%d">%.0f</text>`+"\n", x0-20, height-pad, x0-45, pad+4, maxV)
		for _, c := range clients {
			fmt.Fprintf(&b, `<text x="%.0f" y="%d" text-anchor="middle">%d</text>`+"\n", sx(float64(c)), height-pad+15, c)
		}
		fmt.Fprintf(&b, `<text x="%.0f" y="%d" text-anchor="middle">clients</text>`+"\n", x0+float64(width-2*pad)/2, height-pad+30)
		for si, l := range p.lines {
			var pts []string
			for _, c := range clients {
				if v, ok := l.points[c]; ok {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", sx(float64(c)), sy(v)))
				}
			}
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", l.color, strings.Join(pts, " "))
			if pi == 0 {
				fmt.Fprintf(&b, `<text x="%.0f" y="%d" fill="%s">%s</text>`+"\n", x0+10, pad+14*si, l.color, l.name)
			}
		}
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}
