// Package themes maps colour palettes to every style the UI uses.
//
// A Palette names colours by meaning (running, warning, selection…), never by
// hue, so a user theme only has to answer "what colour is a failure?" and
// every component picks the matching Style from Styles. Components must not
// construct colours themselves.
package themes

import (
	"encoding/json"
	"errors"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"charm.land/lipgloss/v2"
	"gopkg.in/yaml.v3"
)

// Palette is a theme's semantic colours as "#rrggbb" strings (or ANSI
// indices such as "9"), the form user theme files use.
type Palette struct {
	Name         string `json:"name" yaml:"name"`
	Dark         bool   `json:"dark" yaml:"dark"` // meant for a dark terminal background
	FG           string `json:"fg" yaml:"fg"`
	Muted        string `json:"muted" yaml:"muted"`
	Accent       string `json:"accent" yaml:"accent"`
	Running      string `json:"running" yaml:"running"`
	Transitional string `json:"transitional" yaml:"transitional"`
	Stopped      string `json:"stopped" yaml:"stopped"`
	Failed       string `json:"failed" yaml:"failed"`
	Queued       string `json:"queued" yaml:"queued"`
	Warning      string `json:"warning" yaml:"warning"`
	Danger       string `json:"danger" yaml:"danger"`
	Success      string `json:"success" yaml:"success"`
	SelectionBG  string `json:"selection_bg" yaml:"selection_bg"`
	SelectionFG  string `json:"selection_fg" yaml:"selection_fg"`
	Border       string `json:"border" yaml:"border"`
	HeaderBG     string `json:"header_bg" yaml:"header_bg"`
}

// Default theme names.
const (
	Dark         = "dark"
	Light        = "light"
	HighContrast = "high-contrast"
)

// builtins is returned by value from Builtin so callers can never mutate a
// shared palette (several dashboards share one process under SSH).
func builtins() map[string]Palette {
	return map[string]Palette{
		Dark: {
			Name: Dark, Dark: true,
			FG: "#D0D4DC", Muted: "#7A8290", Accent: "#61AFEF",
			Running: "#7EC16E", Transitional: "#E5C07B", Stopped: "#8B93A1",
			Failed: "#E06C75", Queued: "#C678DD",
			Warning: "#E5C07B", Danger: "#FF5F5F", Success: "#7EC16E",
			SelectionBG: "#2F3B52", SelectionFG: "#FFFFFF",
			Border: "#4B5263", HeaderBG: "#1F2430",
		},
		Light: {
			Name: Light, Dark: false,
			FG: "#24292F", Muted: "#6E7781", Accent: "#0550AE",
			Running: "#1A7F37", Transitional: "#9A6700", Stopped: "#57606A",
			Failed: "#CF222E", Queued: "#8250DF",
			Warning: "#9A6700", Danger: "#CF222E", Success: "#1A7F37",
			SelectionBG: "#D0E4FF", SelectionFG: "#0B1F33",
			Border: "#AFB8C1", HeaderBG: "#EAEEF2",
		},
		HighContrast: {
			Name: HighContrast, Dark: true,
			FG: "#FFFFFF", Muted: "#C0C0C0", Accent: "#00FFFF",
			Running: "#00FF00", Transitional: "#FFFF00", Stopped: "#FFFFFF",
			Failed: "#FF0000", Queued: "#FF00FF",
			Warning: "#FFFF00", Danger: "#FF0000", Success: "#00FF00",
			SelectionBG: "#FFFFFF", SelectionFG: "#000000",
			Border: "#FFFFFF", HeaderBG: "#000000",
		},
		"catppuccin-mocha": {
			Name: "catppuccin-mocha", Dark: true,
			FG: "#CDD6F4", Muted: "#7F849C", Accent: "#89B4FA",
			Running: "#A6E3A1", Transitional: "#F9E2AF", Stopped: "#9399B2",
			Failed: "#F38BA8", Queued: "#CBA6F7",
			Warning: "#FAB387", Danger: "#F38BA8", Success: "#A6E3A1",
			SelectionBG: "#45475A", SelectionFG: "#CDD6F4",
			Border: "#585B70", HeaderBG: "#181825",
		},
		"dracula": {
			Name: "dracula", Dark: true,
			FG: "#F8F8F2", Muted: "#6272A4", Accent: "#8BE9FD",
			Running: "#50FA7B", Transitional: "#F1FA8C", Stopped: "#BFBFBF",
			Failed: "#FF5555", Queued: "#BD93F9",
			Warning: "#FFB86C", Danger: "#FF5555", Success: "#50FA7B",
			SelectionBG: "#44475A", SelectionFG: "#F8F8F2",
			Border: "#6272A4", HeaderBG: "#21222C",
		},
	}
}

// Names lists the built-in theme names, sorted.
func Names() []string {
	b := builtins()
	out := make([]string, 0, len(b))
	for n := range b {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Builtin returns a copy of a built-in palette.
func Builtin(name string) (Palette, bool) {
	p, ok := builtins()[strings.ToLower(name)]
	return p, ok
}

// ErrNotFound is returned by Load when neither a built-in nor a file matches.
var ErrNotFound = errors.New("theme not found")

// Load returns the named theme: a user file "<dir>/<name>.yaml", ".yml" or
// ".json" wins over a built-in of the same name, so users can restyle a
// default. Missing colours in a user file fall back to the built-in dark or
// light palette (by the file's "dark" field), so partial themes work.
// Load reads files: call it from a tea.Cmd, never from Update.
func Load(dir, name string) (Palette, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Palette{}, fmt.Errorf("%w: empty name", ErrNotFound)
	}
	if strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return Palette{}, fmt.Errorf("theme %q: invalid name", name)
	}
	if dir != "" {
		for _, ext := range []string{".yaml", ".yml", ".json"} {
			path := filepath.Join(dir, name+ext)
			data, err := os.ReadFile(path)
			if errors.Is(err, os.ErrNotExist) {
				continue
			}
			if err != nil {
				return Palette{}, fmt.Errorf("theme %q: %w", name, err)
			}
			return parse(name, ext, data)
		}
	}
	if p, ok := Builtin(name); ok {
		return p, nil
	}
	return Palette{}, fmt.Errorf("%w: %q (built-in: %s)", ErrNotFound, name, strings.Join(Names(), ", "))
}

func parse(name, ext string, data []byte) (Palette, error) {
	var p Palette
	var err error
	if ext == ".json" {
		err = json.Unmarshal(data, &p)
	} else {
		err = yaml.Unmarshal(data, &p)
	}
	if err != nil {
		return Palette{}, fmt.Errorf("theme %q: %w", name, err)
	}
	base, _ := Builtin(Light)
	if p.Dark {
		base, _ = Builtin(Dark)
	}
	p.fill(base)
	if p.Name == "" {
		p.Name = name
	}
	if err := p.Validate(); err != nil {
		return Palette{}, fmt.Errorf("theme %q: %w", name, err)
	}
	return p, nil
}

func (p *Palette) fields() []*string {
	return []*string{&p.FG, &p.Muted, &p.Accent, &p.Running, &p.Transitional, &p.Stopped,
		&p.Failed, &p.Queued, &p.Warning, &p.Danger, &p.Success, &p.SelectionBG,
		&p.SelectionFG, &p.Border, &p.HeaderBG}
}

func (p *Palette) fill(base Palette) {
	dst, src := p.fields(), base.fields()
	for i := range dst {
		if strings.TrimSpace(*dst[i]) == "" {
			*dst[i] = *src[i]
		}
	}
}

// Validate reports colours lipgloss cannot parse: a "#" followed by 3 or 6
// hex digits, or an ANSI index 0–255.
func (p Palette) Validate() error {
	for _, c := range p.fields() {
		if !validColor(*c) {
			return fmt.Errorf("invalid colour %q", *c)
		}
	}
	return nil
}

func validColor(s string) bool {
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) != 3 && len(h) != 6 {
			return false
		}
		for _, r := range h {
			if !strings.ContainsRune("0123456789abcdefABCDEF", r) {
				return false
			}
		}
		return true
	}
	n := 0
	if s == "" || len(s) > 3 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
		n = n*10 + int(r-'0')
	}
	return n <= 255
}

// Styles is every style the UI uses. Build it with New; the zero value
// renders plain text.
type Styles struct {
	Palette Palette
	NoColor bool

	Base, Muted, Accent, Bold lipgloss.Style
	Title                     lipgloss.Style // app name in the header
	Header                    lipgloss.Style // header bar
	TableHeader               lipgloss.Style
	Cell                      lipgloss.Style
	Selected                  lipgloss.Style // whole selected row
	Mark                      lipgloss.Style // marked-row gutter symbol

	Running, Transitional, Stopped, Failed, Queued lipgloss.Style
	Warning, Danger, Success                       lipgloss.Style

	ToastInfo, ToastSuccess, ToastError lipgloss.Style
	Dialog                              lipgloss.Style // bordered box
	DialogTitle                         lipgloss.Style
	HelpKey, HelpDesc, HelpSection      lipgloss.Style
	Prompt                              lipgloss.Style // ":" and "/" lines
	Section                             lipgloss.Style // details section heading
	Label                               lipgloss.Style // details field label
	Stale                               lipgloss.Style
}

// New builds Styles from a palette. With noColor (NO_COLOR) no colour is
// emitted at all; emphasis falls back to bold, underline and reverse video
// so selection and danger stay visible.
func New(p Palette, noColor bool) Styles {
	c := func(s string) color.Color {
		if noColor || s == "" {
			return nil
		}
		return lipgloss.Color(s)
	}
	fg := func(s string) lipgloss.Style {
		st := lipgloss.NewStyle()
		if col := c(s); col != nil {
			st = st.Foreground(col)
		}
		return st
	}
	bg := func(st lipgloss.Style, s string) lipgloss.Style {
		if col := c(s); col != nil {
			return st.Background(col)
		}
		return st
	}
	s := Styles{Palette: p, NoColor: noColor}
	s.Base = fg(p.FG)
	s.Muted = fg(p.Muted)
	s.Accent = fg(p.Accent)
	s.Bold = fg(p.FG).Bold(true)
	s.Title = fg(p.Accent).Bold(true)
	s.Header = bg(fg(p.FG), p.HeaderBG)
	s.TableHeader = fg(p.Muted).Bold(true)
	s.Cell = fg(p.FG)
	s.Selected = bg(fg(p.SelectionFG), p.SelectionBG).Bold(true)
	if noColor {
		s.Selected = lipgloss.NewStyle().Reverse(true)
	}
	s.Mark = fg(p.Accent).Bold(true)
	s.Running = fg(p.Running)
	s.Transitional = fg(p.Transitional)
	s.Stopped = fg(p.Stopped)
	s.Failed = fg(p.Failed).Bold(true)
	s.Queued = fg(p.Queued)
	s.Warning = fg(p.Warning).Bold(true)
	s.Danger = fg(p.Danger).Bold(true)
	if noColor {
		s.Danger = s.Danger.Underline(true)
	}
	s.Success = fg(p.Success)
	s.ToastInfo = fg(p.Accent)
	s.ToastSuccess = fg(p.Success)
	s.ToastError = fg(p.Danger).Bold(true)
	border := lipgloss.RoundedBorder()
	s.Dialog = lipgloss.NewStyle().Border(border).Padding(0, 1)
	if col := c(p.Border); col != nil {
		s.Dialog = s.Dialog.BorderForeground(col)
	}
	s.DialogTitle = fg(p.Accent).Bold(true)
	s.HelpKey = fg(p.Accent).Bold(true)
	s.HelpDesc = fg(p.FG)
	s.HelpSection = fg(p.Muted).Bold(true).Underline(true)
	s.Prompt = fg(p.Accent).Bold(true)
	s.Section = fg(p.Accent).Bold(true)
	s.Label = fg(p.Muted)
	s.Stale = fg(p.Danger).Bold(true)
	return s
}
