package config

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Authentication methods returned by Credentials.Method.
const (
	MethodAKSK     = "aksk"
	MethodToken    = "token"
	MethodPassword = "password"
	MethodNone     = "none"
)

// Settings is the resolved configuration of one dashboard.
//
// Settings holds secrets (in Credentials) and therefore redacts them under
// every fmt verb, in slog and in JSON; read the fields directly to use them.
type Settings struct {
	Cloud       string // CloudHuawei or CloudOTC
	Region      string // e.g. "eu-de", "cn-north-4"; may be empty in simulator mode
	ProjectID   string // IAM project ID (32 hex), used in every ModelArts path
	ProjectName string // IAM project name, the scope of password auth
	Endpoint    string // ModelArts base URL with scheme, no trailing slash; empty = simulator
	IAMEndpoint string // Keystone v3 root, always ending in /v3 when derived: POST IAMEndpoint+"/auth/tokens"
	Profile     string // profile used from the config file; empty if none
	ConfigPath  string // config file read; empty if none

	// Source maps a setting name ("cloud", "region", "project-id",
	// "project-name", "endpoint", "iam-endpoint", "credentials", "profile",
	// "theme", "poll", "alerts", "pins", "prices", "all-users") to a human description of where its value came from,
	// e.g. "env OS_REGION_NAME". It never contains secret values.
	Source map[string]string

	// Warnings are non-fatal surprises worth showing the user once, e.g.
	// environment credentials overriding a profile's. No secrets.
	Warnings []string

	// AllUsers lists every user's instances (an administrator's view:
	// GET /notebooks/all), from --all-users/-A or all-users in the file.
	AllUsers bool

	Credentials Credentials
	UI          UI
}

// UI carries the presentation settings the config file passes through to
// the UI untouched by the client.
type UI struct {
	Theme    string
	Keys     map[string][]string // action name → key bindings, e.g. "quit" → ["q", "ctrl+c"]
	PollFast time.Duration       // refresh interval while an instance is transitioning
	PollSlow time.Duration       // refresh interval when everything is stable

	// Alerts before the auto-stop, the keep-alive margin of pins and the
	// burn view's price table (nil: none, and no money is shown).
	Alerts    Alerts
	PinMargin time.Duration
	Prices    *Prices
}

// Default poll intervals. Fast polling only runs while something changes
// state; slow polling keeps the auto-stop countdowns honest without
// spending the API rate limit.
const (
	DefaultPollFast = 2 * time.Second
	DefaultPollSlow = 30 * time.Second
)

// Credentials holds what authenticates ModelArts calls. At most one method
// is meaningful; Method reports which one the client should use.
type Credentials struct {
	AK            string // access key ID (secret: it identifies the account and is half of the pair)
	SK            string // secret access key
	SecurityToken string // temporary AK/SK session token, sent as X-Security-Token
	Token         string // pre-issued IAM token, sent as X-Auth-Token
	Username      string // IAM user for password auth
	Password      string
	DomainName    string // account (domain) name for password auth
}

// Method reports the authentication method in order of preference: AK/SK
// signing needs no round trip to IAM, a ready token needs none either, a
// password needs one token request per 24 h.
func (c Credentials) Method() string {
	switch {
	case c.AK != "" && c.SK != "":
		return MethodAKSK
	case c.Token != "":
		return MethodToken
	case c.Username != "" && c.Password != "":
		return MethodPassword
	}
	return MethodNone
}

// HasCredentials reports whether any authentication method is available.
func (c Credentials) HasCredentials() bool { return c.Method() != MethodNone }

// HasCredentials reports whether the settings can authenticate against a
// real cloud; false means the dashboard should use its simulator.
func (s Settings) HasCredentials() bool { return s.Credentials.HasCredentials() }

// Method is shorthand for s.Credentials.Method().
func (s Settings) Method() string { return s.Credentials.Method() }

// redacted marks a secret that is set; an unset secret prints as "".
const redacted = "[REDACTED]"

func mask(secret string) string {
	if secret == "" {
		return ""
	}
	return redacted
}

// redactedView is a secret-free copy used by every printing path, so that
// there is exactly one place deciding what may be shown.
type credentialsView struct {
	Method        string
	AK            string
	SK            string
	SecurityToken string
	Token         string
	Username      string
	Password      string
	DomainName    string
}

func (c Credentials) view() credentialsView {
	return credentialsView{
		Method:        c.Method(),
		AK:            mask(c.AK),
		SK:            mask(c.SK),
		SecurityToken: mask(c.SecurityToken),
		Token:         mask(c.Token),
		Username:      c.Username,
		Password:      mask(c.Password),
		DomainName:    c.DomainName,
	}
}

// String implements fmt.Stringer with secrets redacted.
func (c Credentials) String() string {
	v := c.view()
	return fmt.Sprintf("{Method:%s AK:%s SK:%s SecurityToken:%s Token:%s Username:%s Password:%s DomainName:%s}",
		v.Method, v.AK, v.SK, v.SecurityToken, v.Token, v.Username, v.Password, v.DomainName)
}

// GoString implements fmt.GoStringer with secrets redacted.
func (c Credentials) GoString() string {
	v := c.view()
	return fmt.Sprintf("config.Credentials{AK:%q, SK:%q, SecurityToken:%q, Token:%q, Username:%q, Password:%q, DomainName:%q}",
		v.AK, v.SK, v.SecurityToken, v.Token, v.Username, v.Password, v.DomainName)
}

// Format implements fmt.Formatter so that no verb (%v, %+v, %#v, %s, %q,
// %x, ...) can reach the raw fields through reflection.
func (c Credentials) Format(f fmt.State, verb rune) { format(f, verb, c.String(), c.GoString()) }

// LogValue implements slog.LogValuer with secrets redacted.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// MarshalJSON redacts secrets: Settings may be dumped for debugging, and
// there is no legitimate reason to serialise credentials.
func (c Credentials) MarshalJSON() ([]byte, error) { return json.Marshal(c.view()) }

// String implements fmt.Stringer with secrets redacted.
func (s Settings) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{Cloud:%s Region:%s ProjectID:%s ProjectName:%s Endpoint:%s IAMEndpoint:%s Profile:%s ConfigPath:%s AllUsers:%v Credentials:%s UI:%s",
		s.Cloud, s.Region, s.ProjectID, s.ProjectName, s.Endpoint, s.IAMEndpoint, s.Profile, s.ConfigPath, s.AllUsers, s.Credentials.String(), s.UI.String())
	b.WriteString(" Source:map[")
	for i, k := range slices.Sorted(maps.Keys(s.Source)) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(k + ":" + s.Source[k])
	}
	b.WriteString("]}")
	return b.String()
}

// GoString implements fmt.GoStringer with secrets redacted.
func (s Settings) GoString() string {
	return fmt.Sprintf("config.Settings{Cloud:%q, Region:%q, ProjectID:%q, ProjectName:%q, Endpoint:%q, IAMEndpoint:%q, Profile:%q, ConfigPath:%q, AllUsers:%v, Source:%#v, Credentials:%s, UI:%#v}",
		s.Cloud, s.Region, s.ProjectID, s.ProjectName, s.Endpoint, s.IAMEndpoint, s.Profile, s.ConfigPath, s.AllUsers, s.Source, s.Credentials.GoString(), s.UI)
}

// Format implements fmt.Formatter; see Credentials.Format.
func (s Settings) Format(f fmt.State, verb rune) { format(f, verb, s.String(), s.GoString()) }

// LogValue implements slog.LogValuer with secrets redacted.
func (s Settings) LogValue() slog.Value { return slog.StringValue(s.String()) }

// String renders the UI settings on one line.
func (u UI) String() string {
	prices := "none"
	if u.Prices != nil {
		prices = fmt.Sprintf("%d in %s", len(u.Prices.PerHour), u.Prices.Currency)
	}
	return fmt.Sprintf("{Theme:%s Keys:%v PollFast:%s PollSlow:%s Alerts:%+v PinMargin:%s Prices:%s}",
		u.Theme, u.Keys, u.PollFast, u.PollSlow, u.Alerts, u.PinMargin, prices)
}

// format writes the redacted text for any verb: %#v gets the Go syntax form,
// %q a quoted string, everything else the plain form. Width and flags other
// than '#' are deliberately ignored: padding a redacted dump is never useful
// and passing them on would need the raw value.
func format(f fmt.State, verb rune, plain, goSyntax string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = f.Write([]byte(goSyntax))
	case verb == 'q':
		_, _ = f.Write([]byte(strconv.Quote(plain)))
	default:
		_, _ = f.Write([]byte(plain))
	}
}
