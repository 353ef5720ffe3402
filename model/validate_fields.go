package model

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Per-field validators. Each exported validator returns nil or a *FieldError
// (never a typed-nil pointer inside a non-nil error). The unexported check*
// functions take the JSON path of the field so that the request-level
// Validate methods can report e.g. "endpoints[0].allowed_access_ips[2]";
// the exported ones use the path of the field in its most common request.
//
// Unexported helpers carry a "val" prefix so they cannot collide with helpers
// other files of this package define.

// Limits, named once so that the rule, the message and the tests agree.
const (
	gen1NameMax = 64  // reference §3.3 (Gen 1 create) and seed 001
	gen2NameMax = 128 // reference §2.3; §8.1 notes OTC-2024 documented 64, the current API accepts 128
	descMax     = 512 // reference §2.3 / §3.3

	gen1AutoStopMinSec = 3_600  // 1 h
	gen1AutoStopMaxSec = 86_400 // 24 h

	leaseMinMillis int64 = 3_600_000   // 1 h
	leaseMaxMillis int64 = 259_200_000 // 72 h

	evsMinGB = 5
	evsMaxGB = 4_096

	maxAllowedIPs = 5

	keyPairNameMax = 64

	// hookPathMax is Linux's PATH_MAX: a longer path cannot be opened by the
	// container runtime anyway, so rejecting it early only saves a round trip.
	hookPathMax = 4_096

	customSpecMinCPU      = 0.3 // exclusive lower bound (seed 002)
	customSpecMinMemoryMi = 512 // exclusive lower bound (seed 002)

	valShownMax = 40 // runes of an offending value shown in a FieldError
)

const (
	allowedNameChars = "letters, digits, - and _"
	descForbidden    = `& < > " ' /`
)

// valErr builds a FieldError; value is shortened for display.
func valErr(field, rule, allowed, value string) *FieldError {
	return &FieldError{Field: field, Rule: rule, Allowed: allowed, Value: valShorten(value)}
}

// valAsError converts a possibly nil *FieldError into an error without the
// typed-nil trap (a nil *FieldError in an error interface is not == nil).
func valAsError(e *FieldError) error {
	if e == nil {
		return nil
	}
	return e
}

// valFirst returns the first error of es, or nil.
func valFirst(es FieldErrors) error {
	if len(es) == 0 {
		return nil
	}
	return es[0]
}

// valShorten keeps an offending value short enough for a form's error line
// and makes invalid UTF-8 and control characters visible instead of letting
// them garble the terminal.
func valShorten(s string) string {
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		s = strconv.Quote(s)
	}
	if utf8.RuneCountInString(s) <= valShownMax {
		return s
	}
	r := []rune(s)
	return string(r[:valShownMax-1]) + "…"
}

// valThousands formats n with comma thousands separators, as the reference
// writes its limits (3,600–86,400).
func valThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// valFloat formats a float without trailing zeros.
func valFloat(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// valIsNameChar reports whether r is allowed in names and key-pair names.
func valIsNameChar(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_'
}

// checkName validates a name of 1–max runes of [A-Za-z0-9_-].
func checkName(field, name string, max int) *FieldError {
	allowed := fmt.Sprintf("1–%d %s", max, allowedNameChars)
	if name == "" {
		return valErr(field, "is required", allowed, name)
	}
	if n := utf8.RuneCountInString(name); n > max {
		return valErr(field, fmt.Sprintf("%d characters is too long", n), allowed, name)
	}
	for _, r := range name {
		if !valIsNameChar(r) {
			return valErr(field, fmt.Sprintf("contains %q, which is not allowed", r), allowed, name)
		}
	}
	return nil
}

// ValidateGen1Name checks a Gen 1 (DevEnviron) instance name: 1–64
// characters of [A-Za-z0-9_-] (reference §3.3, seed 001).
func ValidateGen1Name(name string) error {
	return valAsError(checkName("name", name, gen1NameMax))
}

// ValidateGen2Name checks a Gen 2 notebook name: 1–128 characters of
// [A-Za-z0-9_-] (seed 002, OTC-2025, SDK). Reference §8.1 records that
// OTC-2024 and the OTC console said 64 and suggests 64 "to be safe"; 128 is
// kept because it is what the current API documents, and a 65–128 character
// name that an older region refuses comes back as an API error.
func ValidateGen2Name(name string) error {
	return valAsError(checkName("name", name, gen2NameMax))
}

func checkDescription(field, desc string) *FieldError {
	allowed := fmt.Sprintf("up to %d characters, none of %s", descMax, descForbidden)
	if n := utf8.RuneCountInString(desc); n > descMax {
		return valErr(field, fmt.Sprintf("%d characters is too long", n), allowed, desc)
	}
	if i := strings.IndexAny(desc, `&<>"'/`); i >= 0 {
		return valErr(field, fmt.Sprintf("contains the character %c, which is not allowed", desc[i]), allowed, desc)
	}
	return nil
}

// ValidateDescription checks a description of either generation: at most
// 512 characters and none of & < > " ' / (the API rejects them to keep the
// console free of markup).
func ValidateDescription(desc string) error {
	return valAsError(checkDescription("description", desc))
}

func checkGen1AutoStop(field string, enable bool, seconds *int) *FieldError {
	allowed := fmt.Sprintf("%s–%s seconds (1–24 hours)",
		valThousands(gen1AutoStopMinSec), valThousands(gen1AutoStopMaxSec))
	if seconds == nil {
		if enable {
			return valErr(field, "is required when auto-stop is enabled", allowed, "")
		}
		return nil
	}
	s := *seconds
	switch {
	case s < gen1AutoStopMinSec:
		return valErr(field, fmt.Sprintf("%s seconds is too short", valThousands(int64(s))), allowed, strconv.Itoa(s))
	case s > gen1AutoStopMaxSec:
		return valErr(field, fmt.Sprintf("%s seconds is too long", valThousands(int64(s))), allowed, strconv.Itoa(s))
	}
	return nil
}

// ValidateGen1AutoStop checks the Gen 1 auto-stop duration in seconds
// (3,600–86,400). It is required when enable is true; when auto-stop is
// disabled a duration that is sent anyway must still be in range, because
// the API validates it regardless.
func ValidateGen1AutoStop(enable bool, seconds *int) error {
	return valAsError(checkGen1AutoStop("spec.auto_stop.duration", enable, seconds))
}

func checkLeaseMillis(field string, ms int64) *FieldError {
	allowed := fmt.Sprintf("%s–%s ms (1–72 hours)", valThousands(leaseMinMillis), valThousands(leaseMaxMillis))
	var rule string
	switch {
	case ms < leaseMinMillis:
		rule = "is too short"
	case ms > leaseMaxMillis:
		rule = "is too long"
	default:
		return nil
	}
	return valErr(field, fmt.Sprintf("%s ms (%s) %s", valThousands(ms), valHours(ms), rule), allowed, strconv.FormatInt(ms, 10))
}

// valHours renders milliseconds as hours for messages, e.g. "72 h" or
// "0.5 h"; absurd values fall back to the duration's own rendering so that
// no overflow can occur.
func valHours(ms int64) string {
	h := float64(ms) / float64(time.Hour/time.Millisecond)
	if math.Abs(h) >= 1e6 {
		return "over a million hours"
	}
	return strconv.FormatFloat(math.Round(h*100)/100, 'f', -1, 64) + " h"
}

// ValidateLeaseMillis checks a Gen 2 auto-stop (lease) duration in
// milliseconds: 3,600,000–259,200,000 (1–72 hours).
func ValidateLeaseMillis(ms int64) error {
	return valAsError(checkLeaseMillis("lease.duration", ms))
}

func checkOBSPath(field, path string) *FieldError {
	const allowed = "a directory inside a bucket ending with /, e.g. /bucket/dir/ or obs://bucket/dir/"
	if path == "" {
		return valErr(field, "is required", allowed, path)
	}
	if !utf8.ValidString(path) {
		return valErr(field, "is not valid UTF-8", allowed, path)
	}
	if strings.IndexFunc(path, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return valErr(field, "contains whitespace or control characters", allowed, path)
	}
	var rest string
	switch {
	case strings.HasPrefix(path, "obs://"):
		rest = path[len("obs://"):]
	case strings.HasPrefix(path, "/"):
		rest = path[1:]
	default:
		return valErr(field, "must start with / or obs://", allowed, path)
	}
	if !strings.HasSuffix(path, "/") {
		return valErr(field, "must end with /", allowed, path)
	}
	segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if msg := segmentProblem(segs); msg != "" {
		return valErr(field, msg, allowed, path)
	}
	if len(segs) < 2 {
		return valErr(field, "is a bucket root, not a directory inside the bucket", allowed, path)
	}
	return nil
}

// ValidateOBSPath checks an OBS storage path of a Gen 1 instance: a
// directory inside a bucket, ending with "/". Both the documented form
// "/bucket/dir/" and the URL form "obs://bucket/dir/" are accepted; a bucket
// root, empty segments and whitespace are not.
func ValidateOBSPath(path string) error {
	return valAsError(checkOBSPath("spec.storage.location.path", path))
}

func checkEVSSize(field string, gb int) *FieldError {
	allowed := fmt.Sprintf("%d–%s GB", evsMinGB, valThousands(evsMaxGB))
	switch {
	case gb < evsMinGB:
		return valErr(field, fmt.Sprintf("%s GB is too small", valThousands(int64(gb))), allowed, strconv.Itoa(gb))
	case gb > evsMaxGB:
		return valErr(field, fmt.Sprintf("%s GB is too large", valThousands(int64(gb))), allowed, strconv.Itoa(gb))
	}
	return nil
}

// ValidateEVSSize checks an EVS volume size: 5–4,096 GB.
func ValidateEVSSize(gb int) error {
	return valAsError(checkEVSSize("volume.capacity", gb))
}

func checkEVSGrow(field string, currentGB, newGB int) *FieldError {
	allowed := fmt.Sprintf("more than the current %s GB, at most %s GB", valThousands(int64(currentGB)), valThousands(evsMaxGB))
	if currentGB >= evsMaxGB {
		allowed = fmt.Sprintf("none: the volume is already at the %s GB maximum", valThousands(evsMaxGB))
	}
	switch {
	case newGB < evsMinGB:
		// Only reachable when the current size is unknown (0) or bogus.
		return valErr(field, fmt.Sprintf("%s GB is too small", valThousands(int64(newGB))),
			fmt.Sprintf("%d–%s GB", evsMinGB, valThousands(evsMaxGB)), strconv.Itoa(newGB))
	case newGB <= currentGB:
		return valErr(field, fmt.Sprintf("%s GB does not grow the volume (EVS volumes can only grow)", valThousands(int64(newGB))), allowed, strconv.Itoa(newGB))
	case newGB > evsMaxGB:
		return valErr(field, fmt.Sprintf("%s GB is too large", valThousands(int64(newGB))), allowed, strconv.Itoa(newGB))
	}
	return nil
}

// ValidateEVSGrow checks a Gen 2 storage resize: EVS volumes can only grow,
// so newGB must exceed currentGB, and it must not exceed 4,096 GB.
func ValidateEVSGrow(currentGB, newGB int) error {
	return valAsError(checkEVSGrow("storage_new_size", currentGB, newGB))
}

// checkAllowedIPs validates a whitelist of remote-access addresses and
// returns one error per failing entry. field is the list's path.
//
// The reference describes the list as "public IP addresses"; a CIDR range is
// therefore rejected with a message that says so, rather than silently
// accepted and then refused by the API. Zoned IPv6 addresses (fe80::1%eth0)
// are rejected as well: a zone only means something on the local host.
// IPv4-mapped IPv6 addresses count as duplicates of their IPv4 form.
func checkAllowedIPs(field string, ips []string) FieldErrors {
	allowed := fmt.Sprintf("at most %d single IPv4 or IPv6 addresses, no CIDR ranges, no duplicates", maxAllowedIPs)
	var es FieldErrors
	if len(ips) > maxAllowedIPs {
		es = append(es, valErr(field, fmt.Sprintf("%d addresses is too many", len(ips)), allowed, ""))
	}
	seen := make(map[netip.Addr]int, len(ips))
	for i, s := range ips {
		f := fmt.Sprintf("%s[%d]", field, i)
		a, err := netip.ParseAddr(s)
		if err != nil {
			if _, perr := netip.ParsePrefix(s); perr == nil {
				es = append(es, valErr(f, "is a CIDR range; give a single public IP address", allowed, s))
			} else if s == "" {
				es = append(es, valErr(f, "is empty", allowed, s))
			} else {
				es = append(es, valErr(f, "is not an IP address", allowed, s))
			}
			continue
		}
		if a.Zone() != "" {
			es = append(es, valErr(f, "has an IPv6 zone, which is only meaningful locally", allowed, s))
			continue
		}
		// These can never be the source address of a remote SSH client, so
		// whitelisting one is a mistake (0.0.0.0 is a common attempt at
		// "allow all", which is what an empty list means). Private
		// addresses are let through: traffic may arrive over a VPN or
		// Direct Connect into the VPC.
		if u := a.Unmap(); u.IsUnspecified() || u.IsLoopback() || u.IsMulticast() ||
			u.IsLinkLocalUnicast() || u.IsLinkLocalMulticast() || u.IsInterfaceLocalMulticast() {
			es = append(es, valErr(f, "is not an address a remote client can have (leave the list empty to allow all)", allowed, s))
			continue
		}
		key := a.Unmap()
		if j, dup := seen[key]; dup {
			es = append(es, valErr(f, fmt.Sprintf("duplicates %s[%d]", field, j), allowed, s))
			continue
		}
		seen[key] = i
	}
	return es
}

// ValidateAllowedIPs checks the allowed_access_ips whitelist of an endpoint:
// at most 5 single IPv4/IPv6 addresses without duplicates. It returns the
// first failure; the request Validate methods report all of them.
func ValidateAllowedIPs(ips []string) error {
	return valFirst(checkAllowedIPs("endpoints.allowed_access_ips", ips))
}

func checkKeyPairName(field, name string) *FieldError {
	return checkName(field, name, keyPairNameMax)
}

// ValidateKeyPairName checks an SSH key pair name. Key pairs are ECS
// resources, so this is ECS's key-pair naming rule (1–64 characters of
// letters, digits, - and _), not a ModelArts one.
func ValidateKeyPairName(name string) error {
	return valAsError(checkKeyPairName("endpoints.key_pair_names", name))
}

// checkCustomSpec validates a dedicated-pool custom size. prefix is the path
// of the custom_spec object; flavor is the request's flavor ("" if none),
// because the two are mutually exclusive.
func checkCustomSpec(prefix string, cs *CustomSpec, flavor string) FieldErrors {
	if cs == nil {
		return nil
	}
	var es FieldErrors
	if flavor != "" {
		es = append(es, valErr(prefix, "cannot be combined with a flavor", "either flavor or custom_spec, not both", flavor))
	}
	// Seed 002 says "greater than 0.3 cores"; the reference says "at least 0.4
	// with at most two decimals". The seed wins: 0.35 is accepted.
	if c := cs.CPU; math.IsNaN(c) || math.IsInf(c, 0) || c <= customSpecMinCPU {
		es = append(es, valErr(prefix+".cpu", fmt.Sprintf("%s cores is too few", valFloat(c)),
			fmt.Sprintf("more than %s cores", valFloat(customSpecMinCPU)), valFloat(c)))
	}
	m := cs.Memory
	switch {
	case math.IsNaN(m) || math.IsInf(m, 0) || m <= customSpecMinMemoryMi:
		es = append(es, valErr(prefix+".memory", fmt.Sprintf("%s MiB is too little", valFloat(m)),
			fmt.Sprintf("a whole number of MiB greater than %d", customSpecMinMemoryMi), valFloat(m)))
	case m != math.Trunc(m):
		es = append(es, valErr(prefix+".memory", fmt.Sprintf("%s MiB is not a whole number", valFloat(m)),
			fmt.Sprintf("a whole number of MiB greater than %d", customSpecMinMemoryMi), valFloat(m)))
	}
	if cs.GPU != nil {
		if g := *cs.GPU; math.IsNaN(g) || math.IsInf(g, 0) || g < 0 {
			es = append(es, valErr(prefix+".gpu", fmt.Sprintf("%s GPUs is negative or not a number", valFloat(g)),
				"0 or more GPUs", valFloat(g)))
		}
	}
	// arch and category: reference §3.3 (SDK). SDK 0.1.207 switched arch to
	// lowercase (reference §8.6), so both are compared case-insensitively.
	es = valAdd(es, checkEnumFold(prefix+".arch", cs.Arch, true, "X86_64", "AARCH64"))
	es = valAdd(es, checkEnumFold(prefix+".category", cs.Category, true, "CPU", "GPU"))
	if cs.GPUType != "" && cs.GPU == nil {
		es = append(es, valErr(prefix+".gpu_type", "requires gpu to be set",
			"gpu_type only together with a gpu count", cs.GPUType))
	}
	return es
}

// ValidateCustomSpec checks a dedicated-pool custom size (seed 002): cpu
// greater than 0.3 cores, memory a whole number greater than 512 MiB, gpu 0
// or more when present, gpu_type only with gpu, and no flavor alongside.
// A nil spec is valid (the request uses a flavor instead).
func ValidateCustomSpec(cs *CustomSpec, flavor string) error {
	return valFirst(checkCustomSpec("custom_spec", cs, flavor))
}

// checkHook validates one container hook; prefix is the hook object's path
// ("" for a bare hook, giving fields "script", "type", "mode").
func checkHook(prefix string, h *HookConfig) FieldErrors {
	if h == nil {
		return nil
	}
	p := func(name string) string {
		if prefix == "" {
			return name
		}
		return prefix + "." + name
	}
	var es FieldErrors
	typ := h.Type
	if typ == "" {
		typ = HookScript // the API's default
	}
	switch typ {
	case HookScript, HookCommand:
	default:
		rule := "is not a hook type"
		if s := valSuggest(typ, HookScript, HookCommand); s != "" {
			rule = fmt.Sprintf("is not a hook type (did you mean %s?)", s)
		}
		es = append(es, valErr(p("type"), rule, "SCRIPT or COMMAND", typ))
		typ = "" // do not guess how to check the script
	}
	switch h.Mode {
	case "", "BLOCK", "ASYNC":
	default:
		rule := "is not a hook mode"
		if s := valSuggest(h.Mode, "BLOCK", "ASYNC"); s != "" {
			rule = fmt.Sprintf("is not a hook mode (did you mean %s?)", s)
		}
		es = append(es, valErr(p("mode"), rule, "BLOCK or ASYNC", h.Mode))
	}
	switch {
	case typ == HookCommand:
		const allowed = "non-empty standard base64 (with padding) of the command"
		if h.Script == "" {
			es = append(es, valErr(p("script"), "is required", allowed, ""))
			break
		}
		// DecodeString silently skips \r and \n, which would let a pasted
		// multi-line value through that the API may not accept.
		if strings.ContainsAny(h.Script, "\r\n") {
			es = append(es, valErr(p("script"), "contains line breaks", allowed, h.Script))
			break
		}
		if _, err := base64.StdEncoding.Strict().DecodeString(h.Script); err != nil {
			es = append(es, valErr(p("script"), "is not valid base64", allowed, h.Script))
		}
	case typ == HookScript:
		allowed := fmt.Sprintf("an absolute path starting with /, at most %s bytes", valThousands(hookPathMax))
		switch {
		case h.Script == "":
			es = append(es, valErr(p("script"), "is required", allowed, ""))
		case !strings.HasPrefix(h.Script, "/"):
			es = append(es, valErr(p("script"), "is not an absolute path", allowed, h.Script))
		case len(h.Script) > hookPathMax:
			es = append(es, valErr(p("script"), fmt.Sprintf("%s bytes is too long", valThousands(int64(len(h.Script)))), allowed, h.Script))
		case strings.IndexFunc(h.Script, unicode.IsControl) >= 0 || !utf8.ValidString(h.Script):
			// NUL can never be part of a path; other control characters
			// (newlines) would break the shell line that runs the hook.
			es = append(es, valErr(p("script"), "contains control characters or invalid UTF-8", allowed, h.Script))
		}
	}
	return es
}

// valSuggest returns the candidate that s equals ignoring case, or "".
func valSuggest(s string, candidates ...string) string {
	for _, c := range candidates {
		if strings.EqualFold(s, c) {
			return c
		}
	}
	return ""
}

// ValidateHook checks one container hook: type SCRIPT (the default when
// empty) takes an absolute path, COMMAND takes base64-encoded content; mode,
// if set, is BLOCK or ASYNC. A nil hook is valid.
func ValidateHook(h *HookConfig) error {
	return valFirst(checkHook("", h))
}
