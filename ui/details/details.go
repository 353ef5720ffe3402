// Package details is the full view of one instance: every field in
// readable sections, or the raw API JSON, in a scrollable viewport. The
// root model feeds it the latest copy of the instance on every refresh and
// tick, so state and countdown stay live while it is open.
package details

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"matui/model"
	"matui/ui/table"
	"matui/ui/text"
	"matui/ui/uictx"
)

// Details is the details component.
type Details struct {
	ctx           *uictx.Context
	vp            viewport.Model
	inst          model.Instance
	gone          bool // the instance disappeared from the list (deleted)
	raw           bool
	width, height int
	rawCache      []string // raw JSON lines, rebuilt only when Raw changes
	rawSrc        []byte
}

// New returns an empty details view.
func New(ctx *uictx.Context) *Details {
	return &Details{ctx: ctx, vp: viewport.New()}
}

// SetSize sets the area: the first line is the title, the rest scrolls.
func (d *Details) SetSize(w, h int) {
	if w == d.width && h == d.height {
		return
	}
	d.width, d.height = max(w, 0), max(h, 0)
	d.vp.SetWidth(d.width)
	d.vp.SetHeight(max(d.height-1, 0))
	d.render()
}

// Show opens the view on an instance, scrolled to the top, in the fields
// view.
func (d *Details) Show(in model.Instance) {
	d.inst, d.gone, d.raw = in, false, false
	d.render()
	d.vp.GotoTop()
}

// SetInstance updates the shown instance keeping the scroll position.
func (d *Details) SetInstance(in model.Instance) {
	d.inst, d.gone = in, false
	d.render()
}

// SetGone marks the instance as no longer listed (e.g. deleted).
func (d *Details) SetGone() {
	if !d.gone {
		d.gone = true
		d.render()
	}
}

// Instance is the instance shown.
func (d *Details) Instance() model.Instance { return d.inst }

// ToggleRaw switches between the fields and the raw JSON.
func (d *Details) ToggleRaw() {
	d.raw = !d.raw
	d.render()
	d.vp.GotoTop()
}

// Raw reports whether the raw JSON is shown.
func (d *Details) Raw() bool { return d.raw }

// Refresh re-renders (the countdown moved) keeping the scroll position.
func (d *Details) Refresh() {
	if !d.raw {
		d.render()
	}
}

// Update scrolls on navigation keys and the mouse wheel; it reports
// whether msg was consumed.
func (d *Details) Update(msg tea.Msg) bool {
	k := &d.ctx.Keys
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, k.Up):
			d.vp.ScrollUp(1)
		case key.Matches(msg, k.Down):
			d.vp.ScrollDown(1)
		case key.Matches(msg, k.PageUp):
			d.vp.PageUp()
		case key.Matches(msg, k.PageDown):
			d.vp.PageDown()
		case key.Matches(msg, k.Top):
			d.vp.GotoTop()
		case key.Matches(msg, k.Bottom):
			d.vp.GotoBottom()
		default:
			return false
		}
		return true
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			d.vp.ScrollUp(3)
		case tea.MouseWheelDown:
			d.vp.ScrollDown(3)
		default:
			return false
		}
		return true
	}
	return false
}

// View renders the title line and the viewport.
func (d *Details) View() string {
	if d.width <= 0 || d.height <= 0 {
		return ""
	}
	s := &d.ctx.Styles
	in := &d.inst
	name := text.Sanitize(in.Name)
	mode := "details"
	if d.raw {
		mode = "raw JSON"
	}
	title := s.Title.Render(name) + s.Muted.Render(" · "+mode)
	if d.gone {
		title += s.Danger.Render(" · no longer listed")
	}
	title = text.Truncate(title, d.width)
	if d.height == 1 {
		return title
	}
	return title + "\n" + d.vp.View()
}

func (d *Details) render() {
	var lines []string
	if d.raw {
		lines = d.rawLines()
	} else {
		lines = d.fieldLines()
	}
	for i, l := range lines {
		lines[i] = text.Truncate(l, d.width)
	}
	d.vp.SetContentLines(lines)
}

func (d *Details) rawLines() []string {
	raw := d.inst.RawJSON()
	if d.rawCache != nil && bytes.Equal(d.rawSrc, raw) {
		return slices.Clone(d.rawCache)
	}
	var lines []string
	if len(raw) == 0 {
		lines = []string{d.ctx.Styles.Muted.Render("(the API response is not available for this instance)")}
	} else {
		var buf bytes.Buffer
		if err := json.Indent(&buf, raw, "", "  "); err != nil {
			buf.Reset()
			buf.Write(raw)
		}
		for _, l := range strings.Split(buf.String(), "\n") {
			// Sanitize drops control characters; JSON escapes like \u001b
			// stay as the six printable characters they are in the text.
			lines = append(lines, text.Sanitize(strings.ReplaceAll(l, "\t", "  ")))
		}
	}
	d.rawSrc = slices.Clone(raw)
	d.rawCache = lines
	return slices.Clone(lines)
}

type field struct{ label, value string }

func (d *Details) section(lines []string, title string, fields []field) []string {
	s := &d.ctx.Styles
	var body []string
	for _, f := range fields {
		if f.value == "" {
			continue
		}
		body = append(body, "  "+s.Label.Render(text.Fit(f.label, 14))+" "+f.value)
	}
	if len(body) == 0 {
		return lines
	}
	if len(lines) > 0 {
		lines = append(lines, "")
	}
	lines = append(lines, s.Section.Render(title))
	return append(lines, body...)
}

// mountStyle colours a mount's state like an instance's: MOUNTED runs,
// MOUNTING/UNMOUNTING move, a failure fails.
func mountStyle(ctx *uictx.Context, status string) lipgloss.Style {
	switch model.NormEnum(status) {
	case model.MountMounted:
		return ctx.Styles.Running
	case model.MountMounting, model.MountUnmounting:
		return ctx.Styles.Transitional
	case model.MountUnmounted:
		return ctx.Styles.Stopped
	}
	if strings.HasSuffix(model.NormEnum(status), "FAILED") {
		return ctx.Styles.Failed
	}
	return ctx.Styles.Muted
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func (d *Details) fieldLines() []string {
	s := &d.ctx.Styles
	in := &d.inst
	now := d.ctx.ServerNow
	san := text.Sanitize
	var lines []string

	status := table.StatusStyle(d.ctx, in.Class).Render(table.StatusSymbol(in, d.ctx.Frame) + " " + san(in.Status))
	st := []field{{"Status", status}, {"Class", string(in.Class)}}
	if in.FailReason != "" {
		st = append(st, field{"Failure", s.Failed.Render(san(in.FailReason))})
	}
	if in.QueueRank > 0 {
		st = append(st, field{"Queue", "position #" + strconv.Itoa(in.QueueRank)})
	}
	if !in.QueueDeadline.IsZero() {
		st = append(st, field{"Queue ends", fmtTime(in.QueueDeadline) + " (in " + text.Countdown(in.QueueDeadline.Sub(now)) + ")"})
	}
	if len(in.Progress) > 0 {
		st = append(st, field{"Progress", d.stepper()})
	}
	lines = d.section(lines, "Status", st)

	as := in.AutoStop
	cell, lvl := text.AutoStopCell(in, now)
	var af []field
	if !as.Enabled {
		af = []field{{"Auto-stop", "off"}}
	} else {
		af = []field{{"Auto-stop", "on"}, {"Type", san(as.Type)}}
		if as.Duration > 0 {
			af = append(af, field{"Run time", as.Duration.String()})
		}
		// A deadline is only a deadline while the instance runs: a stopped
		// one keeps the last lease's, which lies in the past.
		if !as.Deadline.IsZero() && in.Status == "RUNNING" {
			af = append(af, field{"Stops at", fmtTime(as.Deadline)})
		}
		if in.Status == "RUNNING" {
			af = append(af, field{"Remaining", table.LevelStyle(d.ctx, lvl).Render(cell)})
		}
	}
	lines = d.section(lines, "Auto-stop", af)

	sp := in.Spec
	cf := []field{{"Flavor", san(in.Flavor)}, {"Summary", text.Flavor(sp, in.Flavor)}, {"Kind", string(sp.Kind)}}
	if sp.Count > 0 {
		cf = append(cf, field{"Cards", strconv.Itoa(sp.Count) + " × " + san(sp.Type)})
	}
	if sp.CardMemoryBytes > 0 {
		cf = append(cf, field{"Card memory", text.Bytes(sp.CardMemoryBytes)})
	}
	if sp.Chips > 0 {
		cf = append(cf, field{"Chips", strconv.Itoa(sp.Chips)})
	}
	if sp.VCPUs > 0 {
		cf = append(cf, field{"vCPU", strconv.FormatFloat(sp.VCPUs, 'f', -1, 64)})
	}
	cf = append(cf, field{"Memory", text.Bytes(sp.MemoryBytes)}, field{"Arch", san(sp.Arch)}, field{"Pool", san(in.Pool)})
	lines = d.section(lines, "Compute", cf)

	lines = d.section(lines, "Image", []field{{"Image", san(in.Image)}, {"Image ID", san(in.ImageID)}})

	sf := []field{{"Kind", san(in.Storage.Kind)}, {"Path", san(in.Storage.Path)}, {"Status", san(in.Storage.Status)}}
	if in.Storage.CapacityGB > 0 {
		sf = append(sf, field{"Capacity", strconv.Itoa(in.Storage.CapacityGB) + " GB"})
	}
	// Each mount with its live state (the listing carries them: a mount
	// reaches MOUNTED while the view is open).
	for _, mt := range in.Mounts {
		state := san(mt.Status)
		if mt.Status != "" {
			state = mountStyle(d.ctx, mt.Status).Render(state)
		}
		v := strings.TrimSpace(san(mt.MountPath) + " ← " + san(mt.Kind) + " " + san(mt.URI))
		if state != "" {
			v += "  " + state
		}
		sf = append(sf, field{"Mount", v})
	}
	lines = d.section(lines, "Storage", sf)

	if len(in.Tags) > 0 {
		var tf []field
		for _, tg := range in.Tags {
			tf = append(tf, field{san(tg.Key), san(tg.Value)})
		}
		lines = d.section(lines, "Tags", tf)
	}

	acc := []field{{"URL", san(in.URL)}}
	for _, e := range in.Endpoints {
		if e.Service == "NOTEBOOK" && e.URI == in.URL {
			continue // the URL above
		}
		v := san(e.URI)
		if len(e.KeyPairNames) > 0 {
			v = strings.TrimSpace(v + " · keys " + sanJoin(e.KeyPairNames))
		}
		if len(e.AllowedAccessIPs) > 0 {
			v += " · from " + sanJoin(e.AllowedAccessIPs)
		} else if e.Service == "SSH" {
			v += " · from any address"
		}
		acc = append(acc, field{san(e.Service), strings.TrimPrefix(v, " · ")})
	}
	lines = d.section(lines, "Access", acc)

	if a := in.Affinity; a != nil {
		var rf []field
		for _, r := range a.Required {
			rf = append(rf, field{"Required", ruleText(r)})
		}
		for _, r := range a.Preferred {
			rf = append(rf, field{"Preferred", ruleText(r)})
		}
		lines = d.section(lines, "Node affinity", rf)
	}

	mf := []field{
		{"ID", san(in.ID)},
		{"Generation", genName(in.Generation)},
		{"Feature", san(in.Feature)},
		{"Owner", san(in.Owner)},
		{"Description", san(in.Description)},
	}
	if !in.Created.IsZero() {
		mf = append(mf, field{"Created", fmtTime(in.Created) + " (" + text.Age(now.Sub(in.Created)) + " ago)"})
	}
	mf = append(mf, field{"Updated", fmtTime(in.Updated)})
	lines = d.section(lines, "Instance", mf)

	lines = append(lines, "", s.Muted.Render(fmt.Sprintf("%s raw JSON · %s copy id · %s copy URL · %s back",
		d.ctx.Keys.RawJSON.Help().Key, d.ctx.Keys.CopyID.Help().Key, d.ctx.Keys.CopyURL.Help().Key, d.ctx.Keys.Back.Help().Key)))
	return lines
}

// ruleText reads like a label selector: "kubernetes.io/hostname In
// (192.168.1.1, 192.168.1.2) · weight 50".
func ruleText(r model.AffinityRule) string {
	t := text.Sanitize(r.Key) + " " + text.Sanitize(r.Operator)
	if len(r.Values) > 0 {
		t += " (" + sanJoin(r.Values) + ")"
	}
	if r.Weight != nil {
		t += " · weight " + strconv.Itoa(*r.Weight)
	}
	return t
}

func sanJoin(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = text.Sanitize(v)
	}
	return strings.Join(out, ", ")
}

func genName(g model.Generation) string {
	if g == model.Gen1 {
		return "Gen 1 (DevEnviron /demanager/instances)"
	}
	return "Gen 2 (/notebooks)"
}

var stepNames = map[int]string{1: "storage", 2: "compute", 3: "network", 4: "init"}

// stepper renders creation progress 1–4 as "✓ 1 storage ─ ◐ 2 compute ─ …";
// the API does not guarantee step order, so steps are sorted.
func (d *Details) stepper() string {
	s := &d.ctx.Styles
	steps := slices.Clone(d.inst.Progress)
	slices.SortFunc(steps, func(a, b model.Step) int { return a.Step - b.Step })
	var parts []string
	for _, st := range steps {
		name := stepNames[st.Step]
		if name == "" {
			name = "step"
		}
		label := strconv.Itoa(st.Step) + " " + name
		switch strings.ToUpper(st.Status) {
		case "COMPLETED":
			parts = append(parts, s.Running.Render("✓ "+label))
		case "PROCESSING":
			parts = append(parts, s.Transitional.Render(table.StatusSymbol(&model.Instance{Class: model.ClassTransitional}, d.ctx.Frame)+" "+label))
		case "FAILED":
			parts = append(parts, s.Failed.Render("✗ "+label))
		default:
			parts = append(parts, s.Muted.Render("· "+label))
		}
	}
	return strings.Join(parts, s.Muted.Render(" ─ "))
}
