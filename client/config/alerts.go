package config

import (
	"cmp"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"
)

// Alerts is the auto-stop alert configuration (`alerts:` in the file).
type Alerts struct {
	Off    bool            // alerts: off
	Before []time.Duration // thresholds before the auto-stop, largest first
	Bell   bool            // ring the terminal bell
	// Desktop is how to ask the terminal for a desktop notification:
	// DesktopAuto (by the terminal, the default), DesktopOff, or forced
	// DesktopOSC9, DesktopOSC777, DesktopBoth.
	Desktop string
	Scope   string // ScopeOwn or ScopeAll: whose instances alert (marked ones always do)
}

// Values of Alerts.Desktop and Alerts.Scope.
const (
	DesktopAuto   = "auto"
	DesktopOff    = "off"
	DesktopOSC9   = "osc9"
	DesktopOSC777 = "osc777"
	DesktopBoth   = "both"

	ScopeOwn = "own" // the user's own instances
	ScopeAll = "all" // every listed instance when listing all users'
)

// Limits of the alert and pin settings. ui/alert and ui/pin check the same
// ranges for values that do not come from the file.
const (
	minAlertBefore = time.Minute
	maxAlertBefore = 24 * time.Hour
	maxAlerts      = 5
	minPinMargin   = time.Minute
	maxPinMargin   = 30 * time.Minute
	maxPricePerH   = 100_000.0
)

// Defaults of the alert and pin settings.
const (
	DefaultPinMargin = 10 * time.Minute
)

// DefaultAlerts is the alert configuration when the file has none: 15 and
// 5 minutes before the auto-stop, bell and desktop notification, own
// instances.
func DefaultAlerts() Alerts {
	return Alerts{Before: []time.Duration{15 * time.Minute, 5 * time.Minute}, Bell: true, Desktop: DesktopAuto, Scope: ScopeOwn}
}

// Prices is the optional price table (`prices:`): per-hour prices of
// flavors in one currency.
type Prices struct {
	Currency string             // ISO 4217 code, upper case
	PerHour  map[string]float64 // flavor ID → price per instance-hour
}

// fileAlerts is `alerts:`: "off" (or "on") or a mapping.
type fileAlerts struct {
	set bool
	Alerts
}

// fileAlertsMap is the mapping form; its tags are the valid keys.
type fileAlertsMap struct {
	Before  *durationList `yaml:"before"`
	Bell    *bool         `yaml:"bell"`
	Desktop yaml.Node     `yaml:"desktop"`
	Scope   *string       `yaml:"scope"`
}

func (a *fileAlerts) UnmarshalYAML(n *yaml.Node) error {
	a.set, a.Alerts = true, DefaultAlerts()
	if n.Kind == yaml.ScalarNode {
		switch strings.ToLower(strings.TrimSpace(n.Value)) {
		case "off", "false", "no":
			a.Off = true
			return nil
		case "on", "true", "yes":
			return nil
		}
		return fmt.Errorf("line %d: alerts must be off, on, or a mapping with keys %s", n.Line, strings.Join(yamlKeys[fileAlertsMap](), ", "))
	}
	var m fileAlertsMap
	if err := decodeStrict(n, &m, "alerts"); err != nil {
		return err
	}
	if m.Before != nil {
		if err := checkAlertBefore(m.Before.d, m.Before.line); err != nil {
			return err
		}
		a.Before = slices.Clone(m.Before.d)
		slices.SortFunc(a.Before, func(x, y time.Duration) int { return cmp.Compare(y, x) }) // largest first
	}
	if m.Bell != nil {
		a.Bell = *m.Bell
	}
	if d := &m.Desktop; d.Kind != 0 {
		v, ok := desktopValue(d)
		if !ok {
			return fmt.Errorf("line %d: alerts.desktop must be true, false, %s, %s or %s", d.Line, DesktopOSC9, DesktopOSC777, DesktopBoth)
		}
		a.Desktop = v
	}
	if m.Scope != nil {
		switch s := strings.ToLower(strings.TrimSpace(*m.Scope)); s {
		case ScopeOwn, ScopeAll:
			a.Scope = s
		default:
			return fmt.Errorf("line %d: alerts.scope must be %s or %s (marked instances alert in either)", keyLine(n, "scope"), ScopeOwn, ScopeAll)
		}
	}
	return nil
}

// desktopValue reads alerts.desktop: a boolean (true = by the terminal)
// or a forced protocol.
func desktopValue(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	switch strings.ToLower(strings.TrimSpace(n.Value)) {
	case "true", "yes", "on", DesktopAuto:
		return DesktopAuto, true
	case "false", "no", "off":
		return DesktopOff, true
	case DesktopOSC9, "osc 9":
		return DesktopOSC9, true
	case DesktopOSC777, "osc 777":
		return DesktopOSC777, true
	case DesktopBoth:
		return DesktopBoth, true
	}
	return "", false
}

func checkAlertBefore(ds []time.Duration, line int) error {
	switch {
	case len(ds) == 0:
		return fmt.Errorf("line %d: alerts.before is empty (give 1 to %d durations such as [15m, 5m], or write alerts: off)", line, maxAlerts)
	case len(ds) > maxAlerts:
		return fmt.Errorf("line %d: alerts.before has %d durations, at most %d are allowed", line, len(ds), maxAlerts)
	}
	for i, d := range ds {
		if d < minAlertBefore || d > maxAlertBefore {
			return fmt.Errorf("line %d: alerts.before %s is out of range (1m to 24h before the auto-stop)", line, d)
		}
		if slices.Contains(ds[:i], d) {
			return fmt.Errorf("line %d: alerts.before lists %s twice", line, d)
		}
	}
	return nil
}

// durationList is a list of durations, or one duration alone.
type durationList struct {
	d    []time.Duration
	line int
}

func (l *durationList) UnmarshalYAML(n *yaml.Node) error {
	l.line = n.Line
	var items []*yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		items = []*yaml.Node{n}
	case yaml.SequenceNode:
		items = n.Content
	default:
		return fmt.Errorf("line %d: expected a duration or a list of durations such as [15m, 5m]", n.Line)
	}
	for _, it := range items {
		var d duration
		if err := d.UnmarshalYAML(it); err != nil {
			return err
		}
		l.d = append(l.d, d.d)
	}
	return nil
}

// filePins is `pins:`.
type filePins struct {
	set    bool
	Margin time.Duration
}

type filePinsMap struct {
	Margin *duration `yaml:"margin"`
}

func (p *filePins) UnmarshalYAML(n *yaml.Node) error {
	var m filePinsMap
	if err := decodeStrict(n, &m, "pins"); err != nil {
		return err
	}
	p.set, p.Margin = true, DefaultPinMargin
	if m.Margin != nil {
		if v := m.Margin.d; v < minPinMargin || v > maxPinMargin {
			return fmt.Errorf("line %d: pins.margin %s is out of range (1m to 30m: how long before the auto-stop a pinned instance is renewed)", keyLine(n, "margin"), v)
		}
		p.Margin = m.Margin.d
	}
	return nil
}

// filePrices is `prices:`, a mapping of flavor IDs to per-hour prices and
// one `currency` key.
type filePrices struct {
	*Prices
}

func (p *filePrices) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: prices must be a mapping such as {modelarts.vm.cpu.2u: 0.12, currency: EUR}", n.Line)
	}
	out := &Prices{PerHour: map[string]float64{}}
	currencyLine := 0
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := strings.TrimSpace(k.Value)
		if k.Kind != yaml.ScalarNode || key == "" || strings.IndexFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return fmt.Errorf("line %d: prices: a flavor ID must be one word, such as modelarts.vm.cpu.2u", k.Line)
		}
		if key == "currency" {
			if currencyLine != 0 {
				// Every other mapping of the file refuses a repeated key
				// (yaml.v3); this one is walked by hand.
				return fmt.Errorf("line %d: prices.currency is given twice (first at line %d)", k.Line, currencyLine)
			}
			c := strings.ToUpper(strings.TrimSpace(v.Value))
			if v.Kind != yaml.ScalarNode || len(c) != 3 || strings.IndexFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
				return fmt.Errorf("line %d: prices.currency must be a three-letter ISO 4217 code such as EUR, USD or CNY", v.Line)
			}
			out.Currency, currencyLine = c, k.Line
			continue
		}
		if _, dup := out.PerHour[key]; dup {
			return fmt.Errorf("line %d: prices: flavor %q is priced twice", k.Line, key)
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v.Value), 64)
		if v.Kind != yaml.ScalarNode || err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("line %d: prices: the price of %q must be a number (per instance-hour, e.g. 1.25)", v.Line, key)
		}
		if f < 0 || f > maxPricePerH {
			return fmt.Errorf("line %d: prices: the price of %q is out of range (0 to 100000 per hour)", v.Line, key)
		}
		out.PerHour[key] = f
	}
	switch {
	case len(out.PerHour) == 0:
		return fmt.Errorf("line %d: prices has no flavor prices (give FLAVOR_ID: per-hour pairs and a currency)", n.Line)
	case currencyLine == 0:
		return fmt.Errorf("line %d: prices needs a currency (e.g. currency: EUR)", n.Line)
	}
	p.Prices = out
	return nil
}

// decodeStrict decodes a mapping into v (a pointer to a struct whose yaml
// tags are the valid keys), refusing unknown keys with their line, like
// the rest of the file: yaml.v3 does not carry KnownFields into a custom
// unmarshaler's Decode.
func decodeStrict(n *yaml.Node, v any, what string) error {
	keys := yamlKeysOf(reflect.TypeOf(v).Elem())
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s must be a mapping with keys %s", n.Line, what, strings.Join(keys, ", "))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; !slices.Contains(keys, k.Value) {
			return fmt.Errorf("line %d: unknown key %q in %s (valid keys: %s)", k.Line, k.Value, what, strings.Join(keys, ", "))
		}
	}
	return n.Decode(v)
}

// keyLine is the line of key in mapping n, or n's own line.
func keyLine(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return n.Line
}

func yamlKeys[T any]() []string { return yamlKeysOf(reflect.TypeFor[T]()) }

func yamlKeysOf(t reflect.Type) []string {
	keys := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		if tag := t.Field(i).Tag.Get("yaml"); tag != "" {
			keys = append(keys, strings.Split(tag, ",")[0])
		}
	}
	return keys
}
