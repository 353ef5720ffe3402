package notebook

import (
	"encoding/base64"
	"strings"
	"unicode"
	"unicode/utf8"

	"matui/model"
	"matui/ui/forms"
	"matui/ui/text"
	"matui/ui/uictx"
)

// The start hook, shared by create and update. Seed 002 documents `hooks`
// on update ("the instance startup script can be updated") as the same
// CustomHooks object create takes (reference §3.3): container_hooks with a
// pre_start and a post_start Config, each a script path (type SCRIPT, the
// API's default) or a base64-encoded command (type COMMAND).
const (
	hookUnchanged = "leave unchanged" // update only: hooks not sent
	hookNone      = "none"
	hookPath      = "script path"
	hookCommand   = "inline command"

	stagePost = "post_start"
	stagePre  = "pre_start"
)

// hookFields are the start hook inputs. An update form (cur: the
// notebook's hooks) starts at "leave unchanged", says what the current
// hook is, and prefills its stage and script, so that choosing its type
// again shows it for editing.
func hookFields(ctx *uictx.Context, update bool, cur *model.CustomHooks) (choice, stage, script *forms.Field) {
	opts := []string{hookNone, hookPath, hookCommand}
	if update {
		opts = append([]string{hookUnchanged}, opts...)
	}
	choice = &forms.Field{Key: keyHook, Label: "Start hook", Kind: forms.Choice, Options: opts}
	stage = &forms.Field{Key: keyHookStage, Label: "Hook runs", Kind: forms.Choice, Options: []string{stagePost, stagePre}}
	script = forms.NewText(ctx, keyHookText, "Hook script", "")
	if !update {
		return choice, stage, script
	}
	choice.Hint = "current: " + describeHooks(cur)
	st, cfg := firstHook(cur)
	if cfg == nil {
		return choice, stage, script
	}
	if st == stagePre {
		stage.Choice = 1
	}
	if s, ok := editableScript(cfg); ok {
		script.Input.SetValue(text.Sanitize(s))
		if script.Input.Value() != s {
			// The input could not hold it (too long, or control
			// characters it may not show): offering a changed copy
			// would send something the user did not write.
			script.Input.SetValue("")
		}
	}
	return choice, stage, script
}

// refreshHook shows the stage and script for a hook that is being set and
// says what the script is.
func refreshHook(g func(string) *forms.Field) {
	c := g(keyHook).Text()
	off := c == hookNone || c == hookUnchanged
	g(keyHookStage).Hidden = off
	g(keyHookText).Hidden = off
	switch c {
	case hookPath:
		g(keyHookText).Hint = "absolute path of a script in the image, e.g. /home/ma-user/start.sh"
	case hookCommand:
		g(keyHookText).Hint = "shell command; sent base64-encoded (type COMMAND)"
	}
}

// hookConfig is the hook the fields describe (nil for none or leave
// unchanged) and the stage it runs at; errors go on the script field.
func hookConfig(g func(string) *forms.Field, set func(string, error)) (stage string, cfg *model.HookConfig) {
	script := g(keyHookText).Text()
	switch g(keyHook).Text() {
	case hookPath:
		cfg = &model.HookConfig{Script: strings.TrimSpace(script), Type: model.HookScript}
	case hookCommand:
		cfg = &model.HookConfig{Script: base64.StdEncoding.EncodeToString([]byte(script)), Type: model.HookCommand}
		if strings.TrimSpace(script) == "" {
			set(keyHookText, &model.FieldError{Field: "hooks.script", Rule: "is required", Allowed: "a shell command"})
		}
	default:
		return "", nil
	}
	set(keyHookText, model.ValidateHook(cfg))
	return g(keyHookStage).Text(), cfg
}

// hooksWith is cur with the hook at stage set to cfg. The other stage's
// hook stays as stored: whether the API merges or replaces the hooks
// member is not documented, and sending the untouched one keeps it either
// way. A mode the form does not offer (BLOCK/ASYNC, SDK only) is kept from
// the stored hook of that stage.
func hooksWith(cur *model.CustomHooks, stage string, cfg *model.HookConfig) *model.CustomHooks {
	ch := &model.ContainerHooks{}
	if cur != nil && cur.ContainerHooks != nil {
		*ch = *cur.ContainerHooks
	}
	slot := &ch.PostStart
	if stage == stagePre {
		slot = &ch.PreStart
	}
	c := *cfg
	if *slot != nil && c.Mode == "" {
		c.Mode = (*slot).Mode
	}
	*slot = &c
	return &model.CustomHooks{ContainerHooks: ch}
}

// clearedHooks is the update that removes every hook: an empty
// container_hooks. Neither seed 002 nor the reference says how to remove a
// hook; this is the literal reading of "update the startup script" with
// none (the simulator replaces the hooks with what is sent).
func clearedHooks() *model.CustomHooks {
	return &model.CustomHooks{ContainerHooks: &model.ContainerHooks{}}
}

// hooksOf returns the pre_start and post_start hooks of h (nil-safe).
func hooksOf(h *model.CustomHooks) (pre, post *model.HookConfig) {
	if h == nil || h.ContainerHooks == nil {
		return nil, nil
	}
	return h.ContainerHooks.PreStart, h.ContainerHooks.PostStart
}

// firstHook is the hook the form edits: post_start's if there is one (the
// stage create defaults to), else pre_start's.
func firstHook(h *model.CustomHooks) (string, *model.HookConfig) {
	pre, post := hooksOf(h)
	switch {
	case post != nil:
		return stagePost, post
	case pre != nil:
		return stagePre, pre
	}
	return "", nil
}

// sameHooks reports whether a and b run the same hooks (type "" is the
// API's default, SCRIPT).
func sameHooks(a, b *model.CustomHooks) bool {
	ap, aq := hooksOf(a)
	bp, bq := hooksOf(b)
	return sameHook(ap, bp) && sameHook(aq, bq)
}

func sameHook(a, b *model.HookConfig) bool {
	if a == nil || b == nil {
		return a == b
	}
	typ := func(c *model.HookConfig) string {
		if c.Type == "" {
			return model.HookScript
		}
		return c.Type
	}
	return typ(a) == typ(b) && a.Script == b.Script && a.Mode == b.Mode
}

// editableScript is what the script field shows for a stored hook: the
// path, or the command decoded; false when it cannot be shown on one line
// as it is (invalid base64, line breaks, control characters), so that
// editing never starts from a mangled copy.
func editableScript(cfg *model.HookConfig) (string, bool) {
	s := cfg.Script
	if cfg.Type == model.HookCommand {
		b, err := base64.StdEncoding.Strict().DecodeString(s)
		if err != nil {
			return "", false
		}
		s = string(b)
	}
	if !utf8.ValidString(s) || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return "", false
	}
	return s, true
}

// describeHooks says what hooks h runs, for the hint ("none",
// "post_start script /home/ma-user/start.sh").
func describeHooks(h *model.CustomHooks) string {
	pre, post := hooksOf(h)
	var parts []string
	for _, s := range []struct {
		stage string
		cfg   *model.HookConfig
	}{{stagePre, pre}, {stagePost, post}} {
		if s.cfg == nil {
			continue
		}
		kind := "script"
		if s.cfg.Type == model.HookCommand {
			kind = "command"
		}
		shown, ok := editableScript(s.cfg)
		if !ok {
			shown = "(not shown: not one line of text)"
		}
		parts = append(parts, s.stage+" "+kind+" "+text.Truncate(text.Sanitize(shown), 60))
	}
	if len(parts) == 0 {
		return hookNone
	}
	return strings.Join(parts, "; ")
}
