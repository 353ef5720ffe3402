package model

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Request-level validation: every failing field of a request, each with its
// JSON path, so that a form can mark all of them at once.

// valAdd appends e when it is not nil.
func valAdd(es FieldErrors, e *FieldError) FieldErrors {
	if e == nil {
		return es
	}
	return append(es, e)
}

// checkRequired reports an empty required string.
func checkRequired(field, v, allowed string) *FieldError {
	if strings.TrimSpace(v) == "" {
		return valErr(field, "is required", allowed, v)
	}
	return nil
}

// checkEnum reports v not being one of allowed (exact match); a value that
// only differs in case gets a suggestion. An empty v is accepted when
// optional.
func checkEnum(field, v string, optional bool, allowed ...string) *FieldError {
	if v == "" && optional {
		return nil
	}
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	list := strings.Join(allowed, ", ")
	if v == "" {
		return valErr(field, "is required", list, v)
	}
	rule := "is not allowed"
	if s := valSuggest(v, allowed...); s != "" {
		rule = fmt.Sprintf("is not allowed (values are case-sensitive: did you mean %s?)", s)
	}
	return valErr(field, rule, list, v)
}

// checkEnumFold is checkEnum for members the API matches case-insensitively.
func checkEnumFold(field, v string, optional bool, allowed ...string) *FieldError {
	if s := valSuggest(v, allowed...); s != "" {
		return nil
	}
	return checkEnum(field, v, optional, allowed...)
}

func checkEndpoints(prefix string, eps []EndpointsReq) FieldErrors {
	var es FieldErrors
	for i, ep := range eps {
		p := fmt.Sprintf("%s[%d]", prefix, i)
		es = valAdd(es, checkEnum(p+".service", ep.Service, true, "NOTEBOOK", "SSH"))
		for j, k := range ep.KeyPairNames {
			es = valAdd(es, checkKeyPairName(fmt.Sprintf("%s.key_pair_names[%d]", p, j), k))
		}
		es = append(es, checkAllowedIPs(p+".allowed_access_ips", ep.AllowedAccessIPs)...)
	}
	return es
}

func checkHooks(h *CustomHooks) FieldErrors {
	if h == nil || h.ContainerHooks == nil {
		return nil
	}
	var es FieldErrors
	es = append(es, checkHook("hooks.container_hooks.pre_start", h.ContainerHooks.PreStart)...)
	es = append(es, checkHook("hooks.container_hooks.post_start", h.ContainerHooks.PostStart)...)
	return es
}

const (
	volumeURIMax       = 1024 // reference §3.3 VolumeReq
	volumeMountPathMax = 256  // reference §3.3 VolumeReq
	dewSecretNameMax   = 64   // reference §3.3 VolumeReq
)

// checkVolume validates the storage of a Gen 2 create (reference §3.3,
// VolumeReq). Category and ownership are compared case-insensitively: the
// documentation samples send "evs"/"managed", the SDK sends uppercase, and
// the service accepts both (reference §3.3 note, §8.6).
func checkVolume(prefix string, v VolumeReq) FieldErrors {
	var es FieldErrors
	es = valAdd(es, checkEnumFold(prefix+".category", v.Category, false, "EVS", "EFS", "OBS", "OBSFS", "SFS"))
	es = valAdd(es, checkEnumFold(prefix+".ownership", v.Ownership, false, "MANAGED", "DEDICATED"))
	category := strings.ToUpper(v.Category)
	dedicated := strings.EqualFold(v.Ownership, "DEDICATED")
	// Capacity 0 is "not set" (omitempty, the service picks its default); a
	// negative one is sent and wrong.
	if category == "EVS" && v.Capacity != 0 {
		es = valAdd(es, checkEVSSize(prefix+".capacity", v.Capacity))
	}
	if dedicated {
		switch category {
		case "EFS":
			es = valAdd(es, checkRequired(prefix+".id", v.ID, "the ID of the dedicated SFS Turbo file system"))
			es = valAdd(es, checkRequired(prefix+".uri", v.URI, "the share path of the dedicated file system"))
		case "OBS", "OBSFS":
			es = valAdd(es, checkRequired(prefix+".uri", v.URI, "the bucket directory, e.g. obs://bucket/dir/"))
		}
	}
	if n := utf8.RuneCountInString(v.URI); n > volumeURIMax {
		es = append(es, valErr(prefix+".uri", fmt.Sprintf("%d characters is too long", n),
			fmt.Sprintf("at most %s characters", valThousands(volumeURIMax)), v.URI))
	}
	if n := utf8.RuneCountInString(v.MountPath); n > volumeMountPathMax {
		es = append(es, valErr(prefix+".mount_path", fmt.Sprintf("%d characters is too long", n),
			fmt.Sprintf("at most %d characters", volumeMountPathMax), v.MountPath))
	}
	// The reference says the DEW secret (holding the AK/SK OBS is mounted
	// with) is required for OBS and is 1–64 [A-Za-z0-9_-].
	if category == "OBS" || v.DewSecretName != "" {
		es = valAdd(es, checkName(prefix+".dew_secret_name", v.DewSecretName, dewSecretNameMax))
	}
	return es
}

// Validate checks a Gen 2 create request and returns every failing field.
func (r *CreateNotebookRequest) Validate() error {
	if r == nil {
		return FieldErrors{valErr("", "request is missing", "", "")}
	}
	var es FieldErrors
	es = valAdd(es, checkName("name", r.Name, gen2NameMax))
	es = valAdd(es, checkDescription("description", r.Description))
	es = valAdd(es, checkEnum("feature", r.Feature, true, "NOTEBOOK", "DEFAULT"))
	es = valAdd(es, checkRequired("image_id", r.ImageID, "the ID of an image"))

	switch {
	case strings.TrimSpace(r.Flavor) == "" && r.CustomSpec == nil:
		es = append(es, valErr("flavor", "is required unless custom_spec is given", "either flavor or custom_spec", r.Flavor))
	case r.CustomSpec != nil:
		es = append(es, checkCustomSpec("custom_spec", r.CustomSpec, r.Flavor)...)
	}
	// Custom sizes and affinity rules exist only on dedicated pools (seed
	// 002, reference §3.3), so without a pool the API would refuse them.
	if r.PoolID == "" {
		if r.CustomSpec != nil {
			es = append(es, valErr("pool_id", "is required with custom_spec", "a dedicated pool ID", ""))
		} else if r.Affinity != nil && len(r.Affinity.Required)+len(r.Affinity.Preferred) > 0 {
			es = append(es, valErr("pool_id", "is required with affinity rules", "a dedicated pool ID", ""))
		}
	}

	es = append(es, checkVolume("volume", r.Volume)...)

	if r.Lease != nil {
		// Duration 0 is omitted on the wire (omitempty) and means the default.
		if r.Lease.Duration != 0 {
			es = valAdd(es, checkLeaseMillis("lease.duration", r.Lease.Duration))
		}
		es = valAdd(es, checkEnumFold("lease.type", r.Lease.Type, true, "timing", "idle"))
	}
	// The legacy top-level duration: -1 turns auto-stop off, anything else
	// must be a valid lease length.
	if r.Duration != nil && *r.Duration != -1 {
		es = valAdd(es, checkLeaseMillis("duration", *r.Duration))
	}
	es = append(es, checkEndpoints("endpoints", r.Endpoints)...)
	es = append(es, checkHooks(r.Hooks)...)
	if r.Affinity != nil {
		es = append(es, checkAffinityLists(r.Affinity.Required, r.Affinity.Preferred)...)
	}
	return es.Err()
}

// Validate checks a Gen 2 update request: every member that is present.
// A storage resize is checked against the 5–4,096 GB range only; whether it
// grows the current volume needs the instance (see ValidateEVSGrow).
func (r *UpdateNotebookRequest) Validate() error {
	if r == nil {
		return FieldErrors{valErr("", "request is missing", "", "")}
	}
	var es FieldErrors
	if r.Name != nil {
		es = valAdd(es, checkName("name", *r.Name, gen2NameMax))
	}
	if r.Description != nil {
		es = valAdd(es, checkDescription("description", *r.Description))
	}
	if r.Flavor != nil {
		es = valAdd(es, checkRequired("flavor", *r.Flavor, "a flavor ID; omit the member to keep the current one"))
	}
	if r.ImageID != nil {
		es = valAdd(es, checkRequired("image_id", *r.ImageID, "an image ID; omit the member to keep the current one"))
	}
	es = append(es, checkEndpoints("endpoints", r.Endpoints)...)
	if r.StorageNewSize != nil {
		es = valAdd(es, checkEVSSize("storage_new_size", *r.StorageNewSize))
	}
	es = append(es, checkHooks(r.Hooks)...)
	if r.CustomSpec != nil {
		flavor := ""
		if r.Flavor != nil {
			flavor = *r.Flavor
		}
		es = append(es, checkCustomSpec("custom_spec", r.CustomSpec, flavor)...)
	}
	if a := r.Affinity; a != nil {
		var req, pref []AffinityRule
		if a.Required != nil {
			req = *a.Required
		}
		if a.Preferred != nil {
			pref = *a.Preferred
		}
		es = append(es, checkAffinityLists(req, pref)...)
	}
	return es.Err()
}

// checkDevAutoStop validates a Gen 1 auto_stop object at prefix.
func checkDevAutoStop(prefix string, a *DevAutoStopReq) *FieldError {
	if a == nil {
		return nil
	}
	enable := a.Enable != nil && *a.Enable
	return checkGen1AutoStop(prefix+".duration", enable, a.Duration)
}

// checkDevStorage validates one Gen 1 storage definition at prefix.
//
// Seed 001 says "only obs is supported"; the reference (§2.3) adds obsfs and
// evs on Huawei Cloud. All three are accepted so that HWC regions work; OTC
// rejects the others itself. For obs the path is a directory inside a bucket
// (seed 001, Table 5); for obsfs the reference says the path is the bucket
// name, so only its presence is checked; evs uses volume_size.
func checkDevStorage(prefix string, s DevStorage) FieldErrors {
	var es FieldErrors
	es = valAdd(es, checkEnum(prefix+".type", s.Type, false, "obs", "obsfs", "evs"))
	loc := s.Location
	if loc == nil {
		loc = &DevLocation{}
	}
	switch s.Type {
	case "obs":
		es = valAdd(es, checkOBSPath(prefix+".location.path", loc.Path))
	case "obsfs":
		es = valAdd(es, checkRequired(prefix+".location.path", loc.Path, "the name of the OBS parallel file system bucket"))
		es = valAdd(es, checkEnum(prefix+".location.access_modes", loc.AccessModes, true, "ReadOnlyMany", "ReadWriteMany"))
	case "evs":
		if loc.VolumeSize != 0 {
			es = valAdd(es, checkEVSSize(prefix+".location.volume_size", loc.VolumeSize))
		}
	}
	return es
}

// Validate checks a Gen 1 create request (seed 001) and returns every
// failing field.
func (r *CreateDevInstanceRequest) Validate() error {
	if r == nil {
		return FieldErrors{valErr("", "request is missing", "", "")}
	}
	var es FieldErrors
	es = valAdd(es, checkName("name", r.Name, gen1NameMax))
	es = valAdd(es, checkDescription("description", r.Description))
	es = valAdd(es, checkRequired("profile_id", r.ProfileID, "the ID of a profile"))
	es = valAdd(es, checkRequired("flavor", r.Flavor, "a flavor ID"))
	es = append(es, checkDevStorage("spec.storage", r.Spec.Storage)...)
	for i, s := range r.Spec.ExtendStorage {
		p := fmt.Sprintf("spec.extend_storage[%d]", i)
		// Seed 001: "Extended storage supports only obsfs".
		if s.Type != "obsfs" {
			es = append(es, valErr(p+".type", "is not allowed for extended storage", "obsfs", s.Type))
			continue
		}
		es = append(es, checkDevStorage(p, s)...)
	}
	es = valAdd(es, checkDevAutoStop("spec.auto_stop", r.Spec.AutoStop))
	return es.Err()
}

// Validate checks a Gen 1 modify request (seed 000): description and
// auto-stop, each when present.
func (r *ModifyDevInstanceRequest) Validate() error {
	if r == nil {
		return FieldErrors{valErr("", "request is missing", "", "")}
	}
	var es FieldErrors
	if r.Description != nil {
		es = valAdd(es, checkDescription("description", *r.Description))
	}
	if r.Spec != nil {
		es = valAdd(es, checkDevAutoStop("spec.auto_stop", r.Spec.AutoStop))
	}
	return es.Err()
}
