package config

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// fileConfig is the on-disk schema of config.yaml (see the package comment).
type fileConfig struct {
	CurrentProfile string                 `yaml:"current-profile"`
	Theme          string                 `yaml:"theme"`
	Keys           map[string]keyList     `yaml:"keys"`
	Poll           filePoll               `yaml:"poll"`
	AllUsers       *bool                  `yaml:"all-users"`
	Profiles       map[string]fileProfile `yaml:"profiles"`
	Alerts         fileAlerts             `yaml:"alerts"`
	Pins           filePins               `yaml:"pins"`
	Prices         filePrices             `yaml:"prices"`
}

type filePoll struct {
	Fast duration `yaml:"fast"`
	Slow duration `yaml:"slow"`
}

type fileProfile struct {
	Cloud       string           `yaml:"cloud"`
	Region      string           `yaml:"region"`
	ProjectID   string           `yaml:"project-id"`
	ProjectName string           `yaml:"project-name"`
	Endpoint    string           `yaml:"endpoint"`
	IAMEndpoint string           `yaml:"iam-endpoint"`
	Theme       string           `yaml:"theme"`
	AllUsers    *bool            `yaml:"all-users"`
	Credentials *fileCredentials `yaml:"credentials"`
}

// Credential sources of a profile.
const (
	sourceEnv      = "env"
	sourceFile     = "file"
	sourceInline   = "inline"
	sourcePassword = "password"
)

type fileCredentials struct {
	Source string `yaml:"source"`
	// source: env
	AKEnv            string `yaml:"ak-env"`
	SKEnv            string `yaml:"sk-env"`
	SecurityTokenEnv string `yaml:"security-token-env"`
	// source: file
	File string `yaml:"file"`
	// source: inline
	AK            string `yaml:"ak"`
	SK            string `yaml:"sk"`
	SecurityToken string `yaml:"security-token"`
	// source: password
	Username    string `yaml:"username"`
	Password    string `yaml:"password"`
	PasswordEnv string `yaml:"password-env"`
	DomainName  string `yaml:"domain-name"`
}

// hasInlineSecret reports whether the config file itself stores a secret,
// which makes its permissions matter.
func (c *fileCredentials) hasInlineSecret() bool {
	return c != nil && (c.AK != "" || c.SK != "" || c.SecurityToken != "" || c.Password != "")
}

// keyList accepts either one key (`quit: q`) or a list (`quit: [q, ctrl+c]`).
type keyList []string

func (k *keyList) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*k = keyList{n.Value}
		return nil
	case yaml.SequenceNode:
		var s []string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*k = s
		return nil
	}
	return fmt.Errorf("line %d: a key binding must be a string or a list of strings", n.Line)
}

// duration parses Go duration strings ("2s", "1m30s") in the YAML file;
// yaml.v3 would otherwise only accept integer nanoseconds.
type duration struct{ d time.Duration }

func (d *duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a duration must be a string such as \"2s\"", n.Line)
	}
	v, err := time.ParseDuration(strings.TrimSpace(n.Value))
	if err != nil {
		return fmt.Errorf("line %d: invalid duration %q (use e.g. \"2s\", \"1m\")", n.Line, n.Value)
	}
	if v <= 0 {
		return fmt.Errorf("line %d: duration %q must be positive", n.Line, n.Value)
	}
	d.d = v
	return nil
}

// loadedFile is a parsed config file plus what is needed to point at lines.
type loadedFile struct {
	path string
	cfg  fileConfig
	root *yaml.Node
	mode fs.FileMode
}

// loadFile reads and strictly decodes a config file. Unknown keys are
// errors (with line and the list of valid keys) because a misspelt
// "projet-id" would otherwise silently fall back to another source.
func loadFile(path string) (*loadedFile, error) {
	data, st, err := readRegularFile(path, "config file")
	if err != nil {
		return nil, err
	}
	lf := &loadedFile{path: path, mode: st.Mode().Perm(), root: &yaml.Node{}}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&lf.cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config file %s: %s", path, describeYAMLError(err))
	}
	// A second, untyped pass keeps node positions for semantic errors
	// (unknown cloud, fields that do not match the credential source).
	if err := yaml.Unmarshal(data, lf.root); err != nil {
		return nil, fmt.Errorf("config file %s: %s", path, describeYAMLError(err))
	}
	for name := range lf.cfg.Profiles {
		if strings.TrimSpace(name) == "" {
			return nil, fmt.Errorf("config file %s: line %d: empty profile name", path, lf.line("profiles"))
		}
	}
	return lf, nil
}

var (
	// Both are compiled once and never modified.
	unknownFieldRE = regexp.MustCompile(`^line (\d+): field (.+) not found in type (\S+)$`)
	backtickRE     = regexp.MustCompile("`[^`]*`")
)

// describeYAMLError rewrites yaml.v3 messages for users: unknown fields
// become "line N: unknown key "x" (valid keys: ...)", and every value
// yaml.v3 quotes in backticks is dropped, because a secret typed into the
// wrong place must not end up in an error message.
func describeYAMLError(err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return strings.TrimPrefix(backtickRE.ReplaceAllString(err.Error(), "a value"), "yaml: ")
	}
	msgs := make([]string, 0, len(te.Errors))
	for _, e := range te.Errors {
		if m := unknownFieldRE.FindStringSubmatch(e); m != nil {
			msg := fmt.Sprintf("line %s: unknown key %q", m[1], m[2])
			if keys := validKeys(m[3]); len(keys) > 0 {
				msg += " (valid keys: " + strings.Join(keys, ", ") + ")"
			}
			msgs = append(msgs, msg)
			continue
		}
		msgs = append(msgs, backtickRE.ReplaceAllString(e, "a value"))
	}
	return strings.Join(msgs, "; ")
}

// validKeys lists the YAML keys of the schema type yaml.v3 names in its
// error, read from the struct tags so the list cannot drift.
func validKeys(typeName string) []string {
	var t reflect.Type
	switch typeName {
	case "config.fileConfig":
		t = reflect.TypeFor[fileConfig]()
	case "config.fileProfile":
		t = reflect.TypeFor[fileProfile]()
	case "config.fileCredentials":
		t = reflect.TypeFor[fileCredentials]()
	case "config.filePoll":
		t = reflect.TypeFor[filePoll]()
	default:
		return nil
	}
	return yamlKeysOf(t)
}

// line returns the line of the value at path (mapping keys), or of the
// deepest existing ancestor, so errors can always point somewhere.
func (lf *loadedFile) line(path ...string) int {
	n := lf.root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, key := range path {
		if n.Kind != yaml.MappingNode {
			break
		}
		found := false
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				line = n.Content[i].Line
				n = n.Content[i+1]
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	return line
}

// errAt formats an error about the file at the line of path.
func (lf *loadedFile) errAt(path []string, format string, args ...any) error {
	return fmt.Errorf("config file %s: line %d: %s", lf.path, lf.line(path...), fmt.Sprintf(format, args...))
}

func (lf *loadedFile) profileNames() []string {
	names := make([]string, 0, len(lf.cfg.Profiles))
	for n := range lf.cfg.Profiles {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// holdsSecrets reports whether any profile stores a secret inline.
func (lf *loadedFile) holdsSecrets() bool {
	for _, p := range lf.cfg.Profiles {
		if p.Credentials.hasInlineSecret() {
			return true
		}
	}
	return false
}

// checkPrivate refuses a secret-bearing file that others can read. Windows
// has no meaningful permission bits, so the check is skipped there.
func checkPrivate(path string, mode fs.FileMode, what string) error {
	if runtime.GOOS == "windows" || mode&0o077 == 0 {
		return nil
	}
	return fmt.Errorf("%s %s holds secrets but is readable by group or others (mode %04o): run `chmod 600 %s`",
		what, path, mode, path)
}

// validateCredentials checks that a profile's credentials section uses the
// fields of its source and no others: a stray "ak:" under "source: env"
// would be silently ignored otherwise, and is also an unintended secret.
func (lf *loadedFile) validateCredentials(profile string, c *fileCredentials) error {
	base := []string{"profiles", profile, "credentials"}
	at := func(key string) []string { return append(slices.Clone(base), key) }
	allowed := map[string][]string{
		sourceEnv:      {"ak-env", "sk-env", "security-token-env"},
		sourceFile:     {"file"},
		sourceInline:   {"ak", "sk", "security-token"},
		sourcePassword: {"username", "password", "password-env", "domain-name"},
	}
	src := strings.ToLower(strings.TrimSpace(c.Source))
	ok, known := allowed[src]
	if !known {
		if src == "" {
			return lf.errAt(base, "credentials of profile %q need a source: env, file, inline or password", profile)
		}
		return lf.errAt(at("source"), "unknown credentials source %q (use env, file, inline or password)", c.Source)
	}
	set := map[string]bool{
		"ak-env": c.AKEnv != "", "sk-env": c.SKEnv != "", "security-token-env": c.SecurityTokenEnv != "",
		"file": c.File != "",
		"ak":   c.AK != "", "sk": c.SK != "", "security-token": c.SecurityToken != "",
		"username": c.Username != "", "password": c.Password != "", "password-env": c.PasswordEnv != "",
		"domain-name": c.DomainName != "",
	}
	for _, key := range slices.Sorted(maps.Keys(set)) {
		if set[key] && !slices.Contains(ok, key) {
			return lf.errAt(at(key), "credentials key %q is not used with source %s (allowed: %s)", key, src, strings.Join(ok, ", "))
		}
	}
	switch src {
	case sourceEnv:
		if (c.AKEnv == "") != (c.SKEnv == "") {
			return lf.errAt(base, "set both ak-env and sk-env, or neither to use the standard variables")
		}
	case sourceFile:
		if c.File == "" {
			return lf.errAt(base, "source file needs file: <path>")
		}
	case sourceInline:
		if c.AK == "" || c.SK == "" {
			return lf.errAt(base, "source inline needs both ak and sk")
		}
	case sourcePassword:
		if c.Username == "" {
			return lf.errAt(base, "source password needs username")
		}
		if c.Password == "" && c.PasswordEnv == "" {
			return lf.errAt(base, "source password needs password-env (or password)")
		}
		if c.Password != "" && c.PasswordEnv != "" {
			return lf.errAt(at("password"), "set password or password-env, not both")
		}
	}
	return nil
}

// ProfileNames returns the sorted profile names defined in the config file
// at path, for completing a ":profile NAME" command. It does not check the
// file's permissions, as it reads no secret.
func ProfileNames(path string) ([]string, error) {
	if path == "" {
		return nil, errors.New("no config file")
	}
	lf, err := loadFile(path)
	if err != nil {
		return nil, err
	}
	return lf.profileNames(), nil
}

// fileSecrets is what a credentials file provides.
type fileSecrets struct {
	ak, sk, securityToken, projectID string
}

// readCredentialsFile reads an AK/SK file in one of the two forms users
// already have:
//
//   - the Huawei SDK / hcloud INI form (~/.huaweicloud/credentials):
//     "ak = ...", "sk = ...", optional "security_token", "project_id";
//     keys under [basic] win over top-level keys, other sections are
//     ignored; "key: value" lines are accepted too, so a flat YAML map works;
//   - the credentials.csv the HWC/OTC console downloads
//     ("User Name,Access Key Id,Secret Access Key" plus one row).
//
// Like the config file it must not be readable by group or others. Errors
// cite line numbers only: the lines contain secrets.
func readCredentialsFile(path string) (fileSecrets, error) {
	data, st, err := readRegularFile(path, "credentials file")
	if err != nil {
		return fileSecrets{}, err
	}
	if err := checkPrivate(path, st.Mode().Perm(), "credentials file"); err != nil {
		return fileSecrets{}, err
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // the console's CSV starts with a BOM
	var s fileSecrets
	if firstLine, _, _ := strings.Cut(string(data), "\n"); strings.Contains(strings.ToLower(firstLine), "access key id") {
		s, err = parseCredentialsCSV(data)
	} else {
		s, err = parseCredentialsINI(data)
	}
	if err != nil {
		return fileSecrets{}, fmt.Errorf("credentials file %s: %w", path, err)
	}
	if s.ak == "" || s.sk == "" {
		return fileSecrets{}, fmt.Errorf("credentials file %s: needs both ak and sk", path)
	}
	return s, nil
}

func parseCredentialsCSV(data []byte) (fileSecrets, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		// csv errors quote no field content, only positions.
		return fileSecrets{}, fmt.Errorf("invalid CSV: %w", err)
	}
	if len(recs) < 2 {
		return fileSecrets{}, errors.New("CSV has a header but no key row")
	}
	akCol, skCol := -1, -1
	for i, h := range recs[0] {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "access key id":
			akCol = i
		case "secret access key":
			skCol = i
		}
	}
	if akCol < 0 || skCol < 0 || akCol >= len(recs[1]) || skCol >= len(recs[1]) {
		return fileSecrets{}, errors.New(`CSV needs "Access Key Id" and "Secret Access Key" columns`)
	}
	return fileSecrets{ak: strings.TrimSpace(recs[1][akCol]), sk: strings.TrimSpace(recs[1][skCol])}, nil
}

func parseCredentialsINI(data []byte) (fileSecrets, error) {
	sections := map[string]*fileSecrets{"": {}}
	cur := ""
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimSpace(raw)
		if line == "" || line[0] == '#' || line[0] == ';' || line == "---" {
			continue
		}
		if strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]") {
			cur = strings.ToLower(strings.TrimSpace(line[1 : len(line)-1]))
			if sections[cur] == nil {
				sections[cur] = &fileSecrets{}
			}
			continue
		}
		sep := strings.IndexAny(line, "=:")
		if sep < 0 {
			return fileSecrets{}, fmt.Errorf("line %d: expected key = value", i+1)
		}
		key := strings.ToLower(strings.TrimSpace(line[:sep]))
		key = strings.ReplaceAll(key, "-", "_")
		val := strings.Trim(strings.TrimSpace(line[sep+1:]), `"'`)
		s := sections[cur]
		switch key {
		case "ak", "access_key", "access_key_id":
			s.ak = val
		case "sk", "secret_key", "secret_access_key":
			s.sk = val
		case "security_token":
			s.securityToken = val
		case "project_id":
			s.projectID = val
		}
		// Other keys (domain_id, iam_endpoint, idp_id, ...) belong to SDK
		// features matui does not use; ignoring them keeps SDK files usable.
	}
	for _, name := range []string{"basic", "", "default"} {
		if s := sections[name]; s != nil && s.ak != "" {
			return *s, nil
		}
	}
	return fileSecrets{}, errors.New("no ak found (put ak and sk at the top or under [basic])")
}

// expandPath resolves "~/" against HOME from env and a relative path
// against base (the directory of the config file that names it), so that a
// profile works regardless of the directory matui was started in.
func expandPath(p, base string, env func(string) string) (string, error) {
	p = strings.TrimSpace(p)
	if p == "~" || strings.HasPrefix(p, "~/") {
		home := homeDir(env)
		if home == "" {
			return "", fmt.Errorf("cannot expand %q: HOME is not set", p)
		}
		return filepath.Join(home, strings.TrimPrefix(p[1:], "/")), nil
	}
	if !filepath.IsAbs(p) && base != "" {
		return filepath.Join(base, p), nil
	}
	return p, nil
}

func homeDir(env func(string) string) string {
	if h := env("HOME"); h != "" {
		return h
	}
	if runtime.GOOS == "windows" {
		return env("USERPROFILE")
	}
	return ""
}

// DefaultConfigPath returns the config file matui reads when neither
// --config nor MATUI_CONFIG names one: $XDG_CONFIG_HOME/matui/config.yaml,
// else ~/.config/matui/config.yaml; "" when neither variable is usable.
func DefaultConfigPath(env func(string) string) string {
	// The XDG spec says relative values are invalid and must be ignored.
	if x := env("XDG_CONFIG_HOME"); x != "" && filepath.IsAbs(x) {
		return filepath.Join(x, "matui", "config.yaml")
	}
	if h := homeDir(env); h != "" {
		return filepath.Join(h, ".config", "matui", "config.yaml")
	}
	return ""
}
