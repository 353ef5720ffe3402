package config

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strings"
)

// Flags are the command-line values main.go parsed; an empty string means
// the flag was not given. There are deliberately no flags for secrets:
// argv is visible to every user through ps and lands in shell history.
type Flags struct {
	ConfigPath string // --config
	Profile    string // --profile
	// ProfileFrom says where Profile came from when it was not the
	// --profile flag (the dashboard's ":profile NAME"), for messages.
	ProfileFrom string
	Cloud       string // --cloud
	Region      string // --region
	ProjectID   string // --project-id
	ProjectName string // --project-name
	Endpoint    string // --endpoint
	IAMEndpoint string // --iam-endpoint
	Theme       string // --theme
	// AllUsers is --all-users / -A when given (nil: not on the command
	// line, the config file decides).
	AllUsers *bool
}

// candidate is one possible value of a setting and where it came from.
type candidate struct{ value, source string }

// pick returns the first non-blank candidate: callers list them in
// precedence order, so this single function is the precedence rule.
func pick(cands ...candidate) candidate {
	for _, c := range cands {
		if v := strings.TrimSpace(c.value); v != "" {
			return candidate{v, c.source}
		}
	}
	return candidate{}
}

func flag(name, value string) candidate { return candidate{value, "flag --" + name} }

// envs returns one candidate per variable, in the order given.
func envs(env func(string) string, names ...string) []candidate {
	out := make([]candidate, len(names))
	for i, n := range names {
		out[i] = candidate{env(n), "env " + n}
	}
	return out
}

func cands(groups ...[]candidate) []candidate {
	var out []candidate
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func one(c candidate) []candidate { return []candidate{c} }

// akFamily names the variables of one ecosystem that hold an AK/SK pair.
type akFamily struct{ ak, sk, token string }

// akFamilies lists the ecosystems in precedence order (see the package
// comment). OS_SECURITY_TOKEN is what terraform-provider-opentelekomcloud
// reads for temporary OTC credentials.
func akFamilies() []akFamily {
	return []akFamily{
		{"HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HUAWEICLOUD_SDK_SECURITY_TOKEN"},
		{"OS_ACCESS_KEY", "OS_SECRET_KEY", "OS_SECURITY_TOKEN"},
		{"HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_SECURITY_TOKEN"},
	}
}

// projectIDRE keeps the project ID safe to splice into URL paths.
var projectIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`) // compiled once, never modified
var iamProjectIDRE = regexp.MustCompile(`^[0-9a-f]{32}$`)

// Resolve builds the Settings from flags, the environment and the config
// file, in that order of precedence for every key.
//
// env is the only source of environment variables (pass os.Getenv in
// main.go; tests and several dashboards in one process pass their own);
// nil means an empty environment. With no credentials anywhere Resolve
// succeeds with Method() == "none" and the caller starts the simulator.
func Resolve(flags Flags, env func(string) string) (Settings, error) {
	if env == nil {
		env = func(string) string { return "" }
	}
	trimmedEnv := func(k string) string { return strings.TrimSpace(env(k)) }
	r := &resolver{flags: flags, env: trimmedEnv, s: Settings{Source: map[string]string{}}}
	if err := r.run(); err != nil {
		return Settings{}, err
	}
	return r.s, nil
}

type resolver struct {
	flags Flags
	env   func(string) string
	file  *loadedFile // nil when there is no config file
	prof  fileProfile // the selected profile; zero when none
	pSrc  string      // source label of profile values
	// credsFileProjectID is the project_id a credentials file supplied; it
	// is the last resort for the project ID.
	credsFileProjectID candidate
	s                  Settings
}

func (r *resolver) set(key string, c candidate) string {
	if c.value != "" && c.source != "" {
		r.s.Source[key] = c.source
	}
	return c.value
}

func (r *resolver) run() error {
	if err := r.loadConfig(); err != nil {
		return err
	}
	if err := r.selectProfile(); err != nil {
		return err
	}
	if err := r.resolveLocation(); err != nil {
		return err
	}
	if err := r.resolveCredentials(); err != nil {
		return err
	}
	if err := r.resolveProject(); err != nil {
		return err
	}
	if err := r.resolveEndpoints(); err != nil {
		return err
	}
	return r.resolveUI()
}

func (r *resolver) loadConfig() error {
	c := pick(flag("config", r.flags.ConfigPath), candidate{r.env("MATUI_CONFIG"), "env MATUI_CONFIG"})
	explicit := c.value != ""
	path := c.value
	if explicit {
		p, err := expandPath(path, "", r.env)
		if err != nil {
			return fmt.Errorf("config file (%s): %w", c.source, err)
		}
		path = p
	} else {
		path = DefaultConfigPath(r.env)
		c.source = "default location"
		if path == "" {
			return nil
		}
	}
	lf, err := loadFile(path)
	if err != nil {
		// The default file is optional; a named one is not.
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return nil
		}
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("config file %s (from %s) does not exist", path, c.source)
		}
		return err
	}
	for _, name := range lf.profileNames() {
		p := lf.cfg.Profiles[name]
		if p.Cloud != "" {
			if _, err := NormalizeCloud(p.Cloud); err != nil {
				return lf.errAt([]string{"profiles", name, "cloud"}, "%v", err)
			}
		}
		if p.Credentials != nil {
			if err := lf.validateCredentials(name, p.Credentials); err != nil {
				return err
			}
		}
	}
	if lf.holdsSecrets() {
		if err := checkPrivate(lf.path, lf.mode, "config file"); err != nil {
			return err
		}
	}
	r.file = lf
	r.s.ConfigPath = lf.path
	r.s.Source["config"] = c.source
	return nil
}

func (r *resolver) selectProfile() error {
	var fromFile string
	if r.file != nil {
		fromFile = r.file.cfg.CurrentProfile
	}
	asked := flag("profile", r.flags.Profile)
	if r.flags.ProfileFrom != "" {
		asked.source = r.flags.ProfileFrom
	}
	c := pick(asked, candidate{r.env("MATUI_PROFILE"), "env MATUI_PROFILE"},
		candidate{fromFile, "current-profile"})
	if c.value == "" {
		// One profile and no selection: using it is the only sensible
		// reading, and it spares single-account users the boilerplate.
		if r.file != nil && len(r.file.cfg.Profiles) == 1 {
			c = candidate{r.file.profileNames()[0], "the only profile"}
		} else {
			return nil
		}
	}
	if r.file == nil {
		where := DefaultConfigPath(r.env)
		if where == "" {
			where = "neither XDG_CONFIG_HOME nor HOME is set"
		}
		return fmt.Errorf("profile %q requested by %s, but there is no config file (looked for %s)", c.value, c.source, where)
	}
	p, ok := r.file.cfg.Profiles[c.value]
	if !ok {
		avail := "none"
		if names := r.file.profileNames(); len(names) > 0 {
			avail = strings.Join(names, ", ")
		}
		return fmt.Errorf("profile %q (from %s) is not defined in %s; available profiles: %s", c.value, c.source, r.file.path, avail)
	}
	r.prof = p
	r.pSrc = fmt.Sprintf("profile %s in %s", c.value, r.file.path)
	r.s.Profile = c.value
	r.s.Source["profile"] = c.source
	return nil
}

// resolveLocation settles cloud, region, endpoints given explicitly and
// the project name, inferring cloud and region from what is known.
func (r *resolver) resolveLocation() error {
	prof := func(v string) []candidate { return one(candidate{v, r.pSrc}) }

	region := pick(cands(one(flag("region", r.flags.Region)),
		envs(r.env, "MATUI_REGION", "OS_REGION_NAME", "HW_REGION_NAME"), prof(r.prof.Region))...)
	region.value = strings.ToLower(region.value)

	// The SDK's own per-region override (API reference §7.3) ranks below
	// MATUI_ENDPOINT; it can only be consulted once the region is known.
	var sdkRegion []candidate
	if region.value != "" {
		sdkRegion = envs(r.env, "HUAWEICLOUD_SDK_REGION_MODELARTS_"+strings.ToUpper(strings.ReplaceAll(region.value, "-", "_")))
		// The SDK allows a comma-separated list; the first entry serves.
		sdkRegion[0].value, _, _ = strings.Cut(sdkRegion[0].value, ",")
	}
	endpoint := pick(cands(one(flag("endpoint", r.flags.Endpoint)), envs(r.env, "MATUI_ENDPOINT"), sdkRegion,
		prof(r.prof.Endpoint))...)
	ep, err := normalizeEndpoint(endpoint.value)
	if err != nil {
		return fmt.Errorf("%s: %w", endpoint.source, err)
	}
	endpoint.value = ep

	iam := pick(cands(one(flag("iam-endpoint", r.flags.IAMEndpoint)),
		envs(r.env, "MATUI_IAM_ENDPOINT", "HUAWEICLOUD_SDK_IAM_ENDPOINT", "OS_AUTH_URL"), prof(r.prof.IAMEndpoint))...)
	iep, err := normalizeIAMEndpoint(iam.value)
	if err != nil {
		return fmt.Errorf("%s: %w", iam.source, err)
	}
	iam.value = iep

	projectName := pick(cands(one(flag("project-name", r.flags.ProjectName)),
		envs(r.env, "OS_PROJECT_NAME", "OS_TENANT_NAME"), prof(r.prof.ProjectName))...)

	if region.value == "" {
		// IAM project names are "{region}" or "{region}_{sub-project}" on
		// both clouds, and hosts are "{service}.{region}.{domain}".
		prefix, _, _ := strings.Cut(strings.ToLower(projectName.value), "_")
		switch {
		case regionFromHost(endpoint.value) != "":
			region = candidate{regionFromHost(endpoint.value), "inferred from the endpoint (" + endpoint.source + ")"}
		case regionFromHost(iam.value) != "":
			region = candidate{regionFromHost(iam.value), "inferred from the IAM endpoint (" + iam.source + ")"}
		case prefix != "" && (isKnownRegion(CloudOTC, prefix) || isKnownRegion(CloudHuawei, prefix)):
			region = candidate{prefix, "inferred from the project name (" + projectName.source + ")"}
		}
	}

	cloud := pick(cands(one(flag("cloud", r.flags.Cloud)), envs(r.env, "MATUI_CLOUD"), prof(r.prof.Cloud))...)
	if cloud.value != "" {
		c, err := NormalizeCloud(cloud.value)
		if err != nil {
			return fmt.Errorf("%s: %w", cloud.source, err)
		}
		cloud.value = c
	} else {
		switch {
		case cloudFromHost(endpoint.value) != "":
			cloud = candidate{cloudFromHost(endpoint.value), "inferred from the endpoint (" + endpoint.source + ")"}
		case cloudFromHost(iam.value) != "":
			cloud = candidate{cloudFromHost(iam.value), "inferred from the IAM endpoint (" + iam.source + ")"}
		case isKnownRegion(CloudOTC, region.value):
			cloud = candidate{CloudOTC, "inferred from the region (" + region.source + ")"}
		default:
			cloud = candidate{CloudHuawei, "default"}
		}
	}

	r.s.Cloud = r.set("cloud", cloud)
	r.s.Region = r.set("region", region)
	r.s.Endpoint = r.set("endpoint", endpoint)
	r.s.IAMEndpoint = r.set("iam-endpoint", iam)
	r.s.ProjectName = r.set("project-name", projectName)
	return nil
}

func isKnownRegion(cloud, region string) bool {
	for _, r := range KnownRegions(cloud) {
		if r == region {
			return true
		}
	}
	return false
}

// resolveCredentials takes the credentials from the environment if any are
// there, else from the profile. Credentials are one unit: an AK from one
// place is never paired with an SK from another.
func (r *resolver) resolveCredentials() error {
	creds, src, err := r.credentialsFromEnv()
	if err != nil {
		return err
	}
	if creds.HasCredentials() {
		if r.prof.Credentials != nil {
			r.s.Warnings = append(r.s.Warnings, fmt.Sprintf("credentials from %s override those of profile %s", src, r.s.Profile))
		}
	} else if r.prof.Credentials != nil {
		creds, src, err = r.credentialsFromProfile(r.prof.Credentials)
		if err != nil {
			return fmt.Errorf("profile %s: %w", r.s.Profile, err)
		}
	}
	r.s.Credentials = creds
	if creds.HasCredentials() {
		r.s.Source["credentials"] = src
	}
	return nil
}

func (r *resolver) credentialsFromEnv() (Credentials, string, error) {
	fams := akFamilies()
	for i, f := range fams {
		ak, sk := r.env(f.ak), r.env(f.sk)
		if ak == "" && sk == "" {
			continue
		}
		if err := halfPair(f, ak, sk, fams[i+1:], r.env); err != nil {
			return Credentials{}, "", err
		}
		src := "env " + f.ak + ", " + f.sk
		tok := r.env(f.token)
		if tok != "" {
			src += ", " + f.token
		}
		return Credentials{AK: ak, SK: sk, SecurityToken: tok}, src, nil
	}
	if t := r.env("OS_AUTH_TOKEN"); t != "" {
		return Credentials{Token: t}, "env OS_AUTH_TOKEN", nil
	}
	user, pw := r.env("OS_USERNAME"), r.env("OS_PASSWORD")
	if pw != "" && user == "" {
		return Credentials{}, "", errors.New("OS_PASSWORD is set but OS_USERNAME is not")
	}
	// OS_USERNAME alone is common in OpenStack shells that prompt for the
	// password; it is not a half-configured credential, so it is ignored.
	if user != "" && pw != "" {
		domain := pick(envs(r.env, "OS_USER_DOMAIN_NAME", "OS_DOMAIN_NAME", "OS_PROJECT_DOMAIN_NAME")...)
		return Credentials{Username: user, Password: pw, DomainName: domain.value}, "env OS_USERNAME, OS_PASSWORD", nil
	}
	if p := r.env("HUAWEICLOUD_SDK_CREDENTIALS_FILE"); p != "" {
		path, err := expandPath(p, "", r.env)
		if err != nil {
			return Credentials{}, "", fmt.Errorf("HUAWEICLOUD_SDK_CREDENTIALS_FILE: %w", err)
		}
		sec, err := readCredentialsFile(path)
		if err != nil {
			return Credentials{}, "", fmt.Errorf("HUAWEICLOUD_SDK_CREDENTIALS_FILE: %w", err)
		}
		r.credsFileProjectID = candidate{sec.projectID, "credentials file " + path}
		return Credentials{AK: sec.ak, SK: sec.sk, SecurityToken: sec.securityToken}, "credentials file " + path + " (env HUAWEICLOUD_SDK_CREDENTIALS_FILE)", nil
	}
	return Credentials{}, "", nil
}

// halfPair reports an AK without its SK (or the reverse), naming any other
// family's variable that may have been meant as the partner.
func halfPair(f akFamily, ak, sk string, others []akFamily, env func(string) string) error {
	if ak != "" && sk != "" {
		return nil
	}
	have, missing := f.ak, f.sk
	if ak == "" {
		have, missing = f.sk, f.ak
	}
	msg := have + " is set but " + missing + " is not"
	for _, o := range others {
		partner := o.sk
		if ak == "" {
			partner = o.ak
		}
		if env(partner) != "" {
			msg += " (" + partner + " is set, but keys from different variable families are not combined)"
			break
		}
	}
	return errors.New(msg)
}

func (r *resolver) credentialsFromProfile(c *fileCredentials) (Credentials, string, error) {
	switch strings.ToLower(strings.TrimSpace(c.Source)) {
	case sourceEnv:
		if c.AKEnv == "" {
			// The standard variables were already consulted by
			// credentialsFromEnv and held nothing.
			return Credentials{}, "", errors.New("credentials source is env, but none of HUAWEICLOUD_SDK_AK/SK, OS_ACCESS_KEY/OS_SECRET_KEY, HW_ACCESS_KEY/HW_SECRET_KEY, OS_AUTH_TOKEN or OS_USERNAME/OS_PASSWORD is set")
		}
		ak, sk := r.env(c.AKEnv), r.env(c.SKEnv)
		if ak == "" && sk == "" {
			return Credentials{}, "", fmt.Errorf("credentials source is env, but %s and %s are not set", c.AKEnv, c.SKEnv)
		}
		if err := halfPair(akFamily{ak: c.AKEnv, sk: c.SKEnv}, ak, sk, nil, r.env); err != nil {
			return Credentials{}, "", err
		}
		src := "env " + c.AKEnv + ", " + c.SKEnv
		var tok string
		if c.SecurityTokenEnv != "" {
			tok = r.env(c.SecurityTokenEnv)
			src += ", " + c.SecurityTokenEnv
		}
		return Credentials{AK: ak, SK: sk, SecurityToken: tok}, src + " (" + r.pSrc + ")", nil
	case sourceFile:
		path, err := expandPath(c.File, filepath.Dir(r.file.path), r.env)
		if err != nil {
			return Credentials{}, "", err
		}
		sec, err := readCredentialsFile(path)
		if err != nil {
			return Credentials{}, "", err
		}
		r.credsFileProjectID = candidate{sec.projectID, "credentials file " + path}
		return Credentials{AK: sec.ak, SK: sec.sk, SecurityToken: sec.securityToken}, "credentials file " + path + " (" + r.pSrc + ")", nil
	case sourceInline:
		return Credentials{AK: strings.TrimSpace(c.AK), SK: strings.TrimSpace(c.SK), SecurityToken: strings.TrimSpace(c.SecurityToken)},
			"inline in " + r.pSrc, nil
	case sourcePassword:
		pw, src := c.Password, "inline in "+r.pSrc
		if c.PasswordEnv != "" {
			pw, src = r.env(c.PasswordEnv), "env "+c.PasswordEnv+" ("+r.pSrc+")"
			if pw == "" {
				return Credentials{}, "", fmt.Errorf("password-env names %s, which is not set", c.PasswordEnv)
			}
		}
		return Credentials{Username: strings.TrimSpace(c.Username), Password: pw, DomainName: strings.TrimSpace(c.DomainName)}, src, nil
	}
	// validateCredentials rejected every other source when loading.
	return Credentials{}, "", fmt.Errorf("unknown credentials source %q", c.Source)
}

func (r *resolver) resolveProject() error {
	pid := pick(cands(one(flag("project-id", r.flags.ProjectID)),
		envs(r.env, "HUAWEICLOUD_SDK_PROJECT_ID", "OS_PROJECT_ID", "OS_TENANT_ID", "HW_PROJECT_ID"),
		one(candidate{r.prof.ProjectID, r.pSrc}), one(r.credsFileProjectID))...)
	if pid.value != "" {
		if !projectIDRE.MatchString(pid.value) {
			return fmt.Errorf("%s: project ID %q may only contain letters, digits, '-' and '_'", pid.source, pid.value)
		}
		if !iamProjectIDRE.MatchString(pid.value) {
			r.s.Warnings = append(r.s.Warnings, fmt.Sprintf("project ID %q (%s) is not 32 lowercase hex characters; IAM project IDs are, so it may be a project name", pid.value, pid.source))
		}
	}
	r.s.ProjectID = r.set("project-id", pid)

	switch r.s.Credentials.Method() {
	case MethodAKSK, MethodToken:
		if r.s.ProjectID == "" {
			return errors.New("no project ID: set HUAWEICLOUD_SDK_PROJECT_ID, OS_PROJECT_ID or --project-id (or project-id: in the profile); " +
				"ModelArts paths need the 32-character IAM project ID, shown in the console under My Credentials > Projects")
		}
	case MethodPassword:
		if r.s.Credentials.DomainName == "" {
			return errors.New("password authentication needs the account (domain) name: set OS_USER_DOMAIN_NAME or OS_DOMAIN_NAME (or domain-name: in the profile)")
		}
		if r.s.ProjectID == "" && r.s.ProjectName == "" {
			// The default project of a region is named after the region,
			// so the region alone scopes the token.
			if r.s.Region == "" {
				return errors.New("password authentication needs a project: set OS_PROJECT_NAME, --project-name, --project-id or --region")
			}
			r.s.ProjectName = r.set("project-name", candidate{r.s.Region, "the region's default project"})
		}
	}
	return nil
}

func (r *resolver) resolveEndpoints() error {
	needed := r.s.HasCredentials()
	if r.s.Endpoint == "" {
		switch {
		case r.s.Region != "":
			ep, err := ModelArtsEndpoint(r.s.Cloud, r.s.Region)
			if err != nil {
				// Without credentials the simulator runs and the endpoint
				// is unused: an unrelated OS_REGION_NAME must not block it.
				if needed {
					return err
				}
			} else {
				r.s.Endpoint = r.set("endpoint", candidate{ep, "derived from cloud and region"})
			}
		case needed:
			return errors.New("no ModelArts endpoint: set --region (or MATUI_REGION, OS_REGION_NAME, HW_REGION_NAME, region: in the profile) or --endpoint")
		}
	}
	if r.s.IAMEndpoint == "" {
		iam, err := IAMEndpoint(r.s.Cloud, r.s.Region)
		if err != nil {
			// Only password authentication talks to IAM.
			if r.s.Credentials.Method() == MethodPassword {
				return err
			}
		} else {
			r.s.IAMEndpoint = r.set("iam-endpoint", candidate{iam, "derived from cloud and region"})
		}
	}
	return nil
}

func (r *resolver) resolveUI() error {
	var fileTheme string
	if r.file != nil {
		fileTheme = r.file.cfg.Theme
	}
	theme := pick(cands(one(flag("theme", r.flags.Theme)), envs(r.env, "MATUI_THEME"),
		one(candidate{r.prof.Theme, r.pSrc}), one(candidate{fileTheme, "config file " + r.s.ConfigPath}))...)
	r.s.UI = UI{Theme: r.set("theme", theme), PollFast: DefaultPollFast, PollSlow: DefaultPollSlow,
		Alerts: DefaultAlerts(), PinMargin: DefaultPinMargin}
	r.resolveAllUsers()
	if r.file == nil {
		return nil
	}
	cfg := r.file.cfg
	fromFile := "config file " + r.s.ConfigPath
	if cfg.Alerts.set {
		r.s.UI.Alerts = cfg.Alerts.Alerts
		r.s.Source["alerts"] = fromFile
	}
	if cfg.Pins.set {
		r.s.UI.PinMargin = cfg.Pins.Margin
		r.s.Source["pins"] = fromFile
	}
	if cfg.Prices.Prices != nil {
		r.s.UI.Prices = cfg.Prices.Prices
		r.s.Source["prices"] = fromFile
	}
	if len(cfg.Keys) > 0 {
		r.s.UI.Keys = make(map[string][]string, len(cfg.Keys))
		for action, keys := range cfg.Keys {
			for _, k := range keys {
				if strings.TrimSpace(k) == "" {
					return r.file.errAt([]string{"keys", action}, "empty key binding for %q", action)
				}
			}
			r.s.UI.Keys[action] = append([]string(nil), keys...)
		}
	}
	if cfg.Poll.Fast.d > 0 {
		r.s.UI.PollFast = cfg.Poll.Fast.d
	}
	if cfg.Poll.Slow.d > 0 {
		r.s.UI.PollSlow = cfg.Poll.Slow.d
	}
	if r.s.UI.PollFast > r.s.UI.PollSlow {
		return r.file.errAt([]string{"poll", "fast"}, "poll.fast (%s) must not be longer than poll.slow (%s)", r.s.UI.PollFast, r.s.UI.PollSlow)
	}
	if cfg.Poll.Fast.d > 0 || cfg.Poll.Slow.d > 0 {
		r.s.Source["poll"] = "config file " + r.s.ConfigPath
	}
	return nil
}

// resolveAllUsers: --all-users / -A, else the profile's all-users, else
// the file's top-level all-users, else false.
func (r *resolver) resolveAllUsers() {
	set := func(v bool, src string) {
		r.s.AllUsers = v
		r.s.Source["all-users"] = src
	}
	switch {
	case r.flags.AllUsers != nil:
		set(*r.flags.AllUsers, "flag --all-users")
	case r.prof.AllUsers != nil:
		set(*r.prof.AllUsers, r.pSrc)
	case r.file != nil && r.file.cfg.AllUsers != nil:
		set(*r.file.cfg.AllUsers, "config file "+r.s.ConfigPath)
	}
}
