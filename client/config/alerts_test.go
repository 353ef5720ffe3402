package config

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAlertPinPriceDefaults(t *testing.T) {
	for _, f := range []Flags{{}, {ConfigPath: writeConfig(t, "theme: dark\n")}} {
		s := mustResolve(t, f, nil)
		a := s.UI.Alerts
		if a.Off || !slices.Equal(a.Before, []time.Duration{15 * time.Minute, 5 * time.Minute}) || !a.Bell ||
			a.Desktop != DesktopAuto || a.Scope != ScopeOwn {
			t.Errorf("default alerts %+v", a)
		}
		if s.UI.PinMargin != 10*time.Minute || s.UI.Prices != nil {
			t.Errorf("default pins %s, prices %v", s.UI.PinMargin, s.UI.Prices)
		}
		if _, ok := s.Source["alerts"]; ok {
			t.Errorf("source of a default: %v", s.Source)
		}
	}
}

func TestAlertsSettings(t *testing.T) {
	tests := []struct {
		yaml string
		want Alerts
	}{
		{"alerts: off\n", Alerts{Off: true, Before: []time.Duration{15 * time.Minute, 5 * time.Minute}, Bell: true, Desktop: DesktopAuto, Scope: ScopeOwn}},
		{"alerts: on\n", DefaultAlerts()},
		{"alerts: {before: [5m, 30m, 15m], bell: false, desktop: false, scope: all}\n",
			Alerts{Before: []time.Duration{30 * time.Minute, 15 * time.Minute, 5 * time.Minute}, Desktop: DesktopOff, Scope: ScopeAll}},
		{"alerts:\n  before: 10m\n  desktop: osc777\n", Alerts{Before: []time.Duration{10 * time.Minute}, Bell: true, Desktop: DesktopOSC777, Scope: ScopeOwn}},
		{"alerts: {desktop: true, scope: OWN}\n", DefaultAlerts()},
		{"alerts: {desktop: osc9}\n", Alerts{Before: DefaultAlerts().Before, Bell: true, Desktop: DesktopOSC9, Scope: ScopeOwn}},
		{"alerts: {desktop: both}\n", Alerts{Before: DefaultAlerts().Before, Bell: true, Desktop: DesktopBoth, Scope: ScopeOwn}},
		{"alerts:\n", DefaultAlerts()},
	}
	for _, tt := range tests {
		path := writeConfig(t, tt.yaml)
		s := mustResolve(t, Flags{ConfigPath: path}, nil)
		a := s.UI.Alerts
		if a.Off != tt.want.Off || !slices.Equal(a.Before, tt.want.Before) || a.Bell != tt.want.Bell || a.Desktop != tt.want.Desktop || a.Scope != tt.want.Scope {
			t.Errorf("%q: %+v, want %+v", tt.yaml, a, tt.want)
		}
	}
	s := mustResolve(t, Flags{ConfigPath: writeConfig(t, "alerts: off\n")}, nil)
	if !strings.HasPrefix(s.Source["alerts"], "config file ") {
		t.Errorf("source %v", s.Source)
	}
}

func TestPinsAndPrices(t *testing.T) {
	path := writeConfig(t, `
pins: {margin: 20m}
prices:
  modelarts.vm.cpu.2u: 0.12
  modelarts.bm.npu.arm.8snt9b3.d: 41.5
  currency: eur
`)
	s := mustResolve(t, Flags{ConfigPath: path}, nil)
	if s.UI.PinMargin != 20*time.Minute {
		t.Errorf("margin %s", s.UI.PinMargin)
	}
	p := s.UI.Prices
	if p == nil || p.Currency != "EUR" || len(p.PerHour) != 2 || p.PerHour["modelarts.vm.cpu.2u"] != 0.12 || p.PerHour["modelarts.bm.npu.arm.8snt9b3.d"] != 41.5 {
		t.Fatalf("prices %+v", p)
	}
	if s.Source["pins"] == "" || s.Source["prices"] == "" {
		t.Errorf("sources %v", s.Source)
	}
	if !strings.Contains(s.UI.String(), "Prices:2 in EUR") {
		t.Errorf("UI %s", s.UI)
	}
	if s := mustResolve(t, Flags{ConfigPath: writeConfig(t, "pins: {}\n")}, nil); s.UI.PinMargin != DefaultPinMargin {
		t.Errorf("empty pins: %s", s.UI.PinMargin)
	}
}

func TestAlertPinPriceRejections(t *testing.T) {
	tests := []struct {
		name, yaml string
		wants      []string
	}{
		{"alerts word", "alerts: sometimes\n", []string{"line 1", "alerts must be off, on, or a mapping with keys before, bell, desktop, scope"}},
		{"alerts list", "alerts: [15m]\n", []string{"line 1", "alerts must be a mapping"}},
		{"alerts unknown key", "alerts:\n  before: [15m]\n  sound: true\n", []string{"line 3", `unknown key "sound" in alerts`, "valid keys: before, bell, desktop, scope"}},
		{"before empty", "alerts: {before: []}\n", []string{"line 1", "alerts.before is empty", "alerts: off"}},
		{"before too many", "alerts: {before: [1m, 2m, 3m, 4m, 5m, 6m]}\n", []string{"at most 5"}},
		{"before too short", "alerts:\n  before: [30s]\n", []string{"line 2", "alerts.before 30s is out of range (1m to 24h"}},
		{"before too long", "alerts: {before: [25h]}\n", []string{"25h0m0s is out of range"}},
		{"before twice", "alerts: {before: [5m, 5m]}\n", []string{"lists 5m0s twice"}},
		{"before not a duration", "alerts:\n  before: [soon]\n", []string{"line 2", "invalid duration"}},
		{"before negative", "alerts: {before: [-5m]}\n", []string{"must be positive"}},
		{"before a map", "alerts: {before: {a: 1}}\n", []string{"a duration or a list of durations"}},
		{"bell not a bool", "alerts:\n  bell: loud\n", []string{"line 2", "bool"}},
		{"desktop bad", "alerts:\n  desktop: growl\n", []string{"line 2", "alerts.desktop must be true, false, osc9, osc777 or both"}},
		{"scope bad", "alerts:\n  scope: team\n", []string{"line 2", "alerts.scope must be own or all"}},
		{"pins not a map", "pins: 10m\n", []string{"line 1", "pins must be a mapping with keys margin"}},
		{"pins unknown key", "pins:\n  cap: 4h\n", []string{"line 2", `unknown key "cap" in pins (valid keys: margin)`}},
		{"margin too short", "pins: {margin: 30s}\n", []string{"pins.margin 30s is out of range (1m to 30m"}},
		{"margin too long", "pins:\n  margin: 1h\n", []string{"line 2", "pins.margin 1h0m0s is out of range"}},
		{"prices not a map", "prices: [1, 2]\n", []string{"line 1", "prices must be a mapping"}},
		{"prices no currency", "prices:\n  modelarts.vm.cpu.2u: 0.1\n", []string{"line 2", "prices needs a currency"}},
		{"prices only currency", "prices: {currency: EUR}\n", []string{"prices has no flavor prices"}},
		{"bad currency", "prices:\n  currency: euro\n  f: 1\n", []string{"line 2", "three-letter ISO 4217 code"}},
		{"price not a number", "prices:\n  currency: EUR\n  f: cheap\n", []string{"line 3", `the price of "f" must be a number`}},
		{"price negative", "prices: {currency: EUR, f: -1}\n", []string{`the price of "f" is out of range (0 to 100000 per hour)`}},
		{"price infinite", "prices: {currency: EUR, f: .inf}\n", []string{`the price of "f" must be a number`}},
		{"price a list", "prices: {currency: EUR, f: [1]}\n", []string{`the price of "f" must be a number`}},
		{"flavor twice", "prices:\n  currency: EUR\n  f: 1\n  f: 2\n", []string{"line 4", `flavor "f" is priced twice`}},
		{"currency twice", "prices:\n  currency: EUR\n  f: 1\n  currency: USD\n", []string{"line 4", "prices.currency is given twice (first at line 2)"}},
		{"flavor with space", "prices:\n  currency: EUR\n  'a b': 1\n", []string{"line 3", "one word"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.yaml)
			mustFail(t, Flags{ConfigPath: path}, nil, append(tt.wants, path)...)
		})
	}
}
