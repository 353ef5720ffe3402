package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Normalisation: wire types of either generation → Instance.

// ---- status classes ----

// ClassOf groups a status of either generation (§4.1, §4.2) into a
// StatusClass, case-insensitively. Both generations use the same words with
// the same meaning, so gen does not change the answer today; it is taken so
// that callers need not care if that ever changes. An unknown status is
// transitional: the safe reading is "something is happening, keep polling".
func ClassOf(gen Generation, status string) StatusClass {
	_ = gen
	s := NormEnum(status)
	switch s {
	case "RUNNING":
		return ClassRunning
	case "INIT", "CREATING", "STARTING", "RESTARTING", "STOPPING", "DELETING",
		"SNAPSHOTTING", "RESIZING", "READY_TO_START":
		return ClassTransitional
	case "STOPPED", "DELETED", "FROZEN":
		return ClassStopped
	case "ERROR", "UNAVAILABLE":
		return ClassFailed
	case "CREATE_QUEUING", "START_QUEUING":
		return ClassQueued
	}
	if strings.HasSuffix(s, "_FAILED") {
		return ClassFailed // CREATE_, START_, DELETE_, RESIZE_FAILED
	}
	return ClassTransitional
}

// IsTransitional reports whether a status is on its way somewhere else
// (including unknown statuses), so a poller should keep watching it.
// Queued statuses are not transitional but also change; see ClassQueued.
func IsTransitional(status string) bool {
	return ClassOf(Gen2, status) == ClassTransitional
}

// IsFailed reports whether a status is a failure a poller should treat as final.
func IsFailed(status string) bool {
	return ClassOf(Gen2, status) == ClassFailed
}

// ---- memory sizes ----

// ParseMemory parses a memory size such as "96GiB", "32GB", "64 GB",
// "1.5TiB", "512MiB", "8G" or "1024" into bytes. Units are
// case-insensitive: B, K/KB/KiB, M/MB/MiB, G/GB/GiB, T/TB/TiB, P/PB/PiB.
//
// Decimal-looking units are read as binary: every size these APIs label "GB"
// is a binary size (flavor "CPU: 2 vCPUs 8 GB" has memory 8388608 KiB =
// 8 GiB; a "32GB" V100 or Ascend 910 card has 32 GiB), so "32GB" and "32GiB"
// both give 32×2³⁰. A bare number is bytes. Negative, non-finite and
// overflowing values, and unknown units, report false.
func ParseMemory(s string) (int64, bool) {
	return parseMemoryDefault(s, 1)
}

// parseMemoryDefault is ParseMemory with the unit of a bare number given.
func parseMemoryDefault(s string, bareUnit int64) (int64, bool) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, unit := s[:i], strings.ToLower(strings.TrimSpace(s[i:]))
	f, ok := parseFloatStrict(num)
	if !ok {
		return 0, false
	}
	var mult float64
	switch unit {
	case "":
		mult = float64(bareUnit)
	case "b":
		mult = 1
	case "k", "kb", "ki", "kib":
		mult = 1 << 10
	case "m", "mb", "mi", "mib":
		mult = 1 << 20
	case "g", "gb", "gi", "gib":
		mult = 1 << 30
	case "t", "tb", "ti", "tib":
		mult = 1 << 40
	case "p", "pb", "pi", "pib":
		mult = 1 << 50
	default:
		return 0, false
	}
	v := math.Round(f * mult)
	if v >= math.MaxInt64 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return int64(v), true
}

const gib = 1 << 30

// cardMemory parses a per-card memory size; a bare number is GiB, since no
// card is a few dozen bytes.
func cardMemory(s string) int64 {
	n, _ := parseMemoryDefault(s, gib)
	return n
}

// ---- specs ----

// SpecFromFlavor derives a Spec from a catalog flavor (memory is KiB there).
// Gaps in the catalog entry are filled by SpecFromFlavorID. Kind comes from
// the card counts, then category; a flavor whose id marks it as Ascend wins
// over category "CPU", which OTC puts on its snt9 flavors (§8.10).
func SpecFromFlavor(f NotebookFlavor) Spec {
	base := SpecFromFlavorID(f.ID)
	s := Spec{
		VCPUs:       float64(f.VCPUs),
		MemoryBytes: f.MemoryBytes(),
		Arch:        NormArch(f.Arch),
	}
	switch {
	case f.Ascend.NPU > 0:
		s.Kind = KindAscend
	case f.GPU.GPU > 0:
		s.Kind = KindGPU
	default:
		s.Kind, _ = KindOf(f.Category)
	}
	if s.Kind == KindCPU && base.Kind == KindAscend {
		s.Kind = KindAscend
	}
	switch s.Kind {
	case KindAscend:
		s.Count = f.Ascend.NPU.Int()
		s.CardMemoryBytes = cardMemory(string(f.Ascend.NPUMemory))
		s.Type = strings.TrimSpace(f.Ascend.Type)
		s.Chips = f.Ascend.Chip.Int()
	case KindGPU:
		s.Count = f.GPU.GPU.Int()
		s.CardMemoryBytes = cardMemory(string(f.GPU.GPUMemory))
		if s.Type = gpuTypeName(f.GPU.Type); s.Type == "" {
			s.Type = strings.TrimSpace(f.GPU.Type)
		}
	}
	return mergeSpec(base, s)
}

// SpecFromFlavorID guesses a Spec from a flavor ID alone, for when the
// catalog is unavailable or lacks the flavor. Best effort, from the IDs the
// sources show:
//
//   - "d910", "d310", "kat1", "npu", "snt9", "snt3", "ascend" → Ascend
//     ("910b"/"snt9b" → "Ascend 910B", 910/kat1/snt9 → "Ascend 910",
//     310/snt3 → "Ascend 310");
//   - a "gpu" segment → GPU, the next segment's model prefix as Type
//     ("modelarts.bm.gpu.v100NV32" → "V100", "modelarts.vm.gpu.p100" → "P100");
//   - a "cpu" segment → CPU, with "<n>u" as the vCPU count
//     ("modelarts.vm.cpu.2u" → 2 vCPUs);
//   - for accelerators, a trailing numeric segment is the card count
//     ("modelarts.bm.d910.xlarge.8" → 8).
//
// Anything else leaves Kind empty: guessing CPU would be wrong for the many
// accelerator flavor names not seen here.
func SpecFromFlavorID(id string) Spec {
	var s Spec
	lid := strings.ToLower(strings.TrimSpace(id))
	if lid == "" {
		return s
	}
	segs := strings.FieldsFunc(lid, func(r rune) bool { return r == '.' || r == '-' || r == '_' })
	has := func(subs ...string) bool {
		for _, sub := range subs {
			if strings.Contains(lid, sub) {
				return true
			}
		}
		return false
	}
	switch {
	case has("d910", "d310", "kat1", "npu", "snt9", "snt3", "ascend"):
		s.Kind = KindAscend
		switch {
		case has("910b", "snt9b"):
			s.Type = "Ascend 910B"
		case has("910", "kat1", "snt9"):
			s.Type = "Ascend 910"
		case has("310", "snt3"):
			s.Type = "Ascend 310"
		}
	case slices.ContainsFunc(segs, func(g string) bool { return strings.HasPrefix(g, "gpu") }):
		s.Kind = KindGPU
		for i, g := range segs {
			if strings.HasPrefix(g, "gpu") && i+1 < len(segs) {
				s.Type = gpuTypeName(segs[i+1])
				break
			}
		}
	case slices.Contains(segs, "cpu"):
		s.Kind = KindCPU
		for _, g := range segs {
			if n, ok := strings.CutSuffix(g, "u"); ok {
				if v, err := strconv.Atoi(n); err == nil && v > 0 {
					s.VCPUs = float64(v)
				}
			}
		}
	}
	if (s.Kind == KindAscend || s.Kind == KindGPU) && len(segs) > 2 {
		if v, err := strconv.Atoi(segs[len(segs)-1]); err == nil && v > 0 && v <= 64 {
			s.Count = v
		}
	}
	return s
}

// gpuTypeName turns a GPU model name into its display form: the first
// word that is letters followed by digits, with anything after the digits
// dropped, upper-cased ("v100NV32" → "V100", "nvidia-t4" → "T4",
// "Tesla V100" → "V100"). Names without such a word ("free") give "".
func gpuTypeName(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return r == ' ' || r == '-' || r == '_' || r == '/' || r == '.' })
	for _, w := range words {
		i := 0
		for i < len(w) && (w[i] >= 'a' && w[i] <= 'z' || w[i] >= 'A' && w[i] <= 'Z') {
			i++
		}
		j := i
		for j < len(w) && w[j] >= '0' && w[j] <= '9' {
			j++
		}
		if i > 0 && j > i {
			return strings.ToUpper(w[:j])
		}
	}
	return ""
}

// mergeSpec overlays the non-zero fields of over onto base. When both name
// a kind and they differ, base's accelerator details do not apply.
func mergeSpec(base, over Spec) Spec {
	if over.Kind != "" && base.Kind != "" && over.Kind != base.Kind {
		base.Count, base.CardMemoryBytes, base.Type, base.Chips = 0, 0, "", 0
	}
	if over.Kind != "" {
		base.Kind = over.Kind
	}
	if over.Count != 0 {
		base.Count = over.Count
	}
	if over.CardMemoryBytes != 0 {
		base.CardMemoryBytes = over.CardMemoryBytes
	}
	if over.Type != "" {
		base.Type = over.Type
	}
	if over.Chips != 0 {
		base.Chips = over.Chips
	}
	if over.VCPUs != 0 {
		base.VCPUs = over.VCPUs
	}
	if over.MemoryBytes != 0 {
		base.MemoryBytes = over.MemoryBytes
	}
	if over.Arch != "" {
		base.Arch = over.Arch
	}
	return base
}

// specFromCustom reads a dedicated-pool custom_spec: cpu in cores, memory in
// MiB (seed 002), gpu possibly fractional — a share of a card still occupies
// a card, so it is rounded up.
func specFromCustom(cs CustomSpec) Spec {
	s := Spec{
		VCPUs: finiteOr0(cs.CPU),
		Arch:  NormArch(cs.Arch),
		Type:  gpuTypeName(cs.GPUType),
	}
	if s.Type == "" {
		s.Type = strings.TrimSpace(cs.GPUType)
	}
	if m := finiteOr0(cs.Memory); m > 0 && m < float64(math.MaxInt64>>20) {
		s.MemoryBytes = int64(m * (1 << 20))
	}
	if cs.GPU != nil {
		if g := finiteOr0(*cs.GPU); g > 0 && g < 1<<16 {
			s.Count = int(math.Ceil(g))
		}
	}
	if k, ok := KindOf(cs.Category); ok {
		s.Kind = k
	} else if s.Count > 0 {
		s.Kind = KindGPU
	} else {
		s.Kind = KindCPU
	}
	return s
}

func finiteOr0(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
		return 0
	}
	return f
}

// specFromDevFlavor reads a Gen 1 flavor: flavor_details.params is
// free-form (§8.3) and its keys are matched case-insensitively: CPU, GPU,
// NPU, gpu_type, type, memory ("96GiB"), graphics_memory, arch, chip. Bare
// numbers for memory sizes are GiB. Kind comes from flavor_details.type,
// then profile.flavor_type, then the card counts, then the flavor id.
func specFromDevFlavor(fd FlavorDetails, profileType, flavorID string) Spec {
	base := SpecFromFlavorID(flavorID)
	p := make(map[string]any, len(fd.Params))
	keys := make([]string, 0, len(fd.Params))
	for k := range fd.Params {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic when keys differ only in case
	for _, k := range keys {
		lk := strings.ToLower(strings.TrimSpace(k))
		if _, dup := p[lk]; !dup {
			p[lk] = fd.Params[k]
		}
	}
	num := func(keys ...string) float64 {
		for _, k := range keys {
			if v, ok := anyFloat(p[k]); ok && v > 0 && v < 1<<31 {
				return v
			}
		}
		return 0
	}
	str := func(keys ...string) string {
		for _, k := range keys {
			if v := anyString(p[k]); v != "" {
				return v
			}
		}
		return ""
	}
	var s Spec
	s.VCPUs = num("cpu", "vcpu", "vcpus")
	gpus, npus := int(num("gpu", "gpus")), int(num("npu", "npus"))
	s.MemoryBytes, _ = parseMemoryDefault(str("memory", "mem"), gib)
	s.Arch = NormArch(str("arch"))
	s.Chips = int(num("chip", "chips"))

	if k, ok := KindOf(fd.Type); ok {
		s.Kind = k
	} else if k, ok := KindOf(profileType); ok {
		s.Kind = k
	} else if npus > 0 {
		s.Kind = KindAscend
	} else if gpus > 0 {
		s.Kind = KindGPU
	} else if base.Kind == "" && s.VCPUs > 0 {
		s.Kind = KindCPU
	}
	switch s.Kind {
	case KindAscend:
		s.Count = npus
		if s.Count == 0 {
			s.Count = gpus
		}
		s.Type = str("type", "npu_type")
		s.CardMemoryBytes = cardMemory(str("graphics_memory", "npu_memory", "gpu_memory"))
	case KindGPU:
		s.Count = gpus
		raw := str("gpu_type", "type")
		if s.Type = gpuTypeName(raw); s.Type == "" {
			s.Type = raw
		}
		s.CardMemoryBytes = cardMemory(str("graphics_memory", "gpu_memory"))
	}
	return mergeSpec(base, s)
}

// ---- Gen 2 ----

// FromNotebook converts a Gen 2 notebook. The response carries only the
// flavor ID, so flavor (which may be nil, or miss) looks the spec up in the
// flavor catalog; a custom_spec takes precedence, and without a catalog
// entry the spec is guessed from the flavor ID (SpecFromFlavorID). The raw
// JSON (token redacted) is rendered on demand by RawJSON; DecodeNotebook keeps the
// original bytes instead.
func FromNotebook(nb Notebook, flavor func(id string) (NotebookFlavor, bool)) Instance {
	in := fromNotebook(nb, flavor)
	in.src = &nb // RawJSON renders it on demand
	return in
}

func fromNotebook(nb Notebook, flavor func(id string) (NotebookFlavor, bool)) Instance {
	in := Instance{
		Generation:  Gen2,
		ID:          nb.ID,
		Name:        nb.Name,
		Description: nb.Description,
		Status:      NormEnum(nb.Status),
		Class:       ClassOf(Gen2, nb.Status),
		Feature:     NormEnum(nb.Feature),
		Flavor:      nb.Flavor,
		Image:       nb.Image.Ref(),
		ImageID:     nb.Image.ID,
		Created:     nb.CreateAt.Time(),
		Updated:     nb.UpdateAt.Time(),
		FailReason:  nb.FailReason,
	}

	switch {
	case nb.CustomSpec != nil:
		in.Spec = mergeSpec(SpecFromFlavorID(nb.Flavor), specFromCustom(*nb.CustomSpec))
	case flavor != nil && nb.Flavor != "":
		if f, ok := flavor(nb.Flavor); ok {
			in.Spec = SpecFromFlavor(f)
		} else {
			in.Spec = SpecFromFlavorID(nb.Flavor)
		}
	default:
		in.Spec = SpecFromFlavorID(nb.Flavor)
	}

	v := nb.Volume
	in.Storage = Storage{
		Kind:       NormEnum(v.Category),
		CapacityGB: v.Capacity.Int(),
		Path:       v.MountPath,
		Status:     v.Status,
	}
	// For object storage the interesting place is the bucket, not the mount point.
	if k := in.Storage.Kind; (k == "OBS" || k == "OBSFS" || in.Storage.Path == "") && v.URI != "" {
		in.Storage.Path = v.URI
	}

	l := nb.Lease
	if l != (Lease{}) {
		in.AutoStop = AutoStop{
			Enabled:  l.Enable,
			Type:     l.NormType(),
			Duration: unitDuration(int64(l.Duration), time.Millisecond),
			Deadline: l.Deadline(),
		}
	}
	// The sources show top-level create_at only in samples (§8.14); the
	// lease's create_at is set when the instance is created, so it stands in.
	if in.Created.IsZero() {
		in.Created = l.CreateAt.Time()
	}

	switch {
	case nb.User.Name != "":
		in.Owner = nb.User.Name
	case nb.User.ID != "":
		in.Owner = nb.User.ID
	default:
		in.Owner = nb.UserID
	}

	in.URL = nb.URL
	if in.URL == "" {
		for _, e := range nb.Endpoints {
			if SameEnum(e.Service, "NOTEBOOK") && strings.HasPrefix(e.URI, "http") {
				in.URL = e.URI
				break
			}
		}
	}

	in.Pool = nb.Pool.Name
	if in.Pool == "" {
		in.Pool = nb.Pool.ID
	}

	for _, e := range nb.Endpoints {
		in.Endpoints = append(in.Endpoints, Access{
			Service:          NormEnum(e.Service),
			URI:              e.URI,
			KeyPairNames:     slices.Clone(e.KeyPairNames),
			AllowedAccessIPs: slices.Clone(e.AllowedAccessIPs),
		})
	}
	if a := nb.Affinity; a != nil && (len(a.Required) > 0 || len(a.Preferred) > 0) {
		cp := Affinity{Required: slices.Clone(a.Required), Preferred: slices.Clone(a.Preferred)}
		in.Affinity = &cp
	}

	if len(nb.Tags) > 0 {
		in.Tags = slices.Clone(nb.Tags)
	}
	for _, dv := range nb.DataVolumes {
		uri := dv.URI
		if uri == "" {
			uri = dv.URL
		}
		in.Mounts = append(in.Mounts, Mount{ID: dv.ID, Kind: NormEnum(dv.Category), MountPath: dv.MountPath,
			URI: uri, Status: NormEnum(dv.Status), Dynamic: SameEnum(dv.MountType, MountTypeDynamic)})
	}

	if len(nb.ActionProgress) > 0 {
		in.Progress = make([]Step, 0, len(nb.ActionProgress))
		for _, p := range nb.ActionProgress {
			in.Progress = append(in.Progress, Step{Step: p.Step.Int(), Status: NormEnum(p.Status), Description: p.Description})
		}
		// Order is not guaranteed (one sample lists 4,3,2,1).
		slices.SortStableFunc(in.Progress, func(a, b Step) int { return a.Step - b.Step })
	}
	in.share()
	return in
}

// unitDuration converts n units (a lease's milliseconds, Gen 1's seconds)
// to a Duration, saturating instead of overflowing; negative values (-1 =
// no auto-stop) give 0.
func unitDuration(n int64, unit time.Duration) time.Duration {
	switch {
	case n <= 0:
		return 0
	case n > math.MaxInt64/int64(unit):
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(n) * unit
}

// ---- Gen 1 ----

// FromDevInstance converts a Gen 1 instance. The raw JSON (credentials
// redacted) is rendered on demand by RawJSON; DecodeDevInstance keeps the
// original bytes.
func FromDevInstance(d DevInstance) Instance {
	in := fromDevInstance(d)
	in.src = &d // RawJSON renders it on demand
	return in
}

func fromDevInstance(d DevInstance) Instance {
	in := Instance{
		Generation:  Gen1,
		ID:          d.ID,
		Name:        d.Name,
		Description: d.Description,
		Status:      NormEnum(d.Status),
		Class:       ClassOf(Gen1, d.Status),
		Flavor:      d.Flavor,
		Spec:        specFromDevFlavor(d.FlavorDetails, d.Profile.FlavorType, d.Flavor),
		// Gen 1 has no image: the profile (engine) plays that role, and its
		// ID is what a create takes as profile_id.
		Image:   d.Profile.Name,
		ImageID: d.Profile.ID,
		Created: d.CreationTimestamp.Time(),
		Updated: d.LatestUpdateTimestamp.Time(),
		URL:     d.Spec.Annotations["url"],
	}

	st := d.Spec.Storage
	in.Storage.Kind = NormEnum(st.Type)
	if loc := st.Location; loc != nil {
		in.Storage.CapacityGB = loc.VolumeSize
		in.Storage.Path = loc.Path
		if in.Storage.Path == "" {
			in.Storage.Path = loc.MountPath
		}
	}

	as := d.Spec.AutoStop
	in.AutoStop = AutoStop{
		Enabled:  as.Enable,
		Type:     LeaseTiming, // Gen 1 has only a fixed timer
		Duration: unitDuration(int64(as.Duration), time.Second),
	}
	if as.Enable {
		in.AutoStop.Deadline = as.StopTimestamp.Time()
	}

	if q := d.QueuingInfo; q != nil {
		in.QueueRank = q.Rank.Int()
		in.QueueDeadline = q.EndTimestamp.Time()
		if in.QueueDeadline.IsZero() && q.BeginTimestamp > 0 && q.RemainTime > 0 && int64(q.RemainTime) < maxMillis/1000 {
			in.QueueDeadline = (q.BeginTimestamp + Millis(q.RemainTime)*1000).Time()
		}
	}

	in.Owner = d.User.Name
	if in.Owner == "" {
		in.Owner = d.User.ID
	}
	in.Pool = d.Pool.Name
	if in.Pool == "" {
		in.Pool = d.Pool.ID
	}

	code, msg := d.ErrorCode, ""
	if fr := d.Spec.FailedReasons; fr != nil {
		msg = fr.Message
		if code == "" {
			code = fr.Code
		}
	}
	switch {
	case msg != "" && code != "":
		in.FailReason = msg + " (" + code + ")"
	case msg != "":
		in.FailReason = msg
	default:
		in.FailReason = code
	}
	in.share()
	return in
}

// ---- decoding helpers that keep the original bytes ----
//
// Instances converted by these keep the JSON they came from, compressed
// (wire.go); RawJSON shows it with secrets redacted, Notebook and
// DevInstance decode it again for the forms.

// notObject is the error for a body that is not a JSON object. A function
// rather than a sentinel variable: the package keeps no mutable state.
func notObject(what string) error {
	return fmt.Errorf("model: %s: response is not a JSON object", what)
}

// DecodeNotebook decodes one NotebookResp and converts it. Only malformed
// JSON or a body that is not an object is an error: odd field kinds decode
// to zero.
func DecodeNotebook(b []byte, flavor func(id string) (NotebookFlavor, bool)) (Notebook, Instance, error) {
	var nb Notebook
	if !isJSONObject(b) {
		return nb, Instance{}, notObject("notebook")
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		return Notebook{}, Instance{}, fmt.Errorf("model: notebook: %w", err)
	}
	in := fromNotebook(nb, flavor)
	in.wire = new(compactor).compact(b)
	return nb, in, nil
}

// DecodeNotebookList decodes a notebook list page and converts every item.
// Items that are not JSON objects are skipped.
func DecodeNotebookList(b []byte, flavor func(id string) (NotebookFlavor, bool)) (Page[Notebook], []Instance, error) {
	var page Page[Notebook]
	out, err := decodeNotebookPage(b, flavor, &page, func(nb Notebook) { page.Data = append(page.Data, nb) })
	if err != nil {
		return Page[Notebook]{}, nil, err
	}
	if page.Data == nil {
		page.Data = []Notebook{}
	}
	return page, out, nil
}

// DecodeNotebookInstances is DecodeNotebookList for a caller that needs the
// instances and the server's total only (a listing): no wire structs are
// kept.
func DecodeNotebookInstances(b []byte, flavor func(id string) (NotebookFlavor, bool)) (total int, _ []Instance, _ error) {
	var page Page[Notebook]
	out, err := decodeNotebookPage(b, flavor, &page, nil)
	return page.Total.Int(), out, err
}

// decodeNotebookPage decodes b's envelope into page (without items), converts
// every object item, and hands each decoded notebook to keep when set.
func decodeNotebookPage(b []byte, flavor func(id string) (NotebookFlavor, bool), page *Page[Notebook], keep func(Notebook)) ([]Instance, error) {
	var raw Page[json.RawMessage]
	if !isJSONObject(b) {
		return nil, notObject("notebook list")
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("model: notebook list: %w", err)
	}
	*page = Page[Notebook]{Current: raw.Current, Pages: raw.Pages, Size: raw.Size, Total: raw.Total}
	items := raw.Items()
	out := make([]Instance, 0, len(items))
	var c compactor
	for _, it := range items {
		if !isJSONObject(it) {
			continue
		}
		var nb Notebook
		_ = json.Unmarshal(it, &nb) // valid JSON and lenient: cannot fail
		if keep != nil {
			keep(nb)
		}
		in := fromNotebook(nb, flavor)
		in.wire = c.compact(it)
		out = append(out, in)
	}
	return out, nil
}

// DecodeDevInstance decodes one Gen 1 instance and converts it.
func DecodeDevInstance(b []byte) (DevInstance, Instance, error) {
	var d DevInstance
	if !isJSONObject(b) {
		return d, Instance{}, notObject("dev instance")
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return DevInstance{}, Instance{}, fmt.Errorf("model: dev instance: %w", err)
	}
	in := fromDevInstance(d)
	in.wire = new(compactor).compact(b)
	return d, in, nil
}

// DecodeDevList decodes the Gen 1 list and converts every instance. Items
// that are not JSON objects are skipped.
func DecodeDevList(b []byte) (DevListResponse, []Instance, error) {
	var resp DevListResponse
	total, out, err := decodeDevPage(b, func(d DevInstance) { resp.Instances = append(resp.Instances, d) })
	if err != nil {
		return DevListResponse{}, nil, err
	}
	resp.TotalCount = FlexInt(total)
	if resp.Instances == nil {
		resp.Instances = []DevInstance{}
	}
	return resp, out, nil
}

// DecodeDevInstances is DecodeDevList for a listing: the instances and the
// server's total_count, no wire structs kept.
func DecodeDevInstances(b []byte) (total int, _ []Instance, _ error) {
	return decodeDevPage(b, nil)
}

// skipComposite reads the rest of an object or array whose opening
// delimiter dec has just returned.
func skipComposite(dec *json.Decoder) error {
	for depth := 1; depth > 0; {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
	return nil
}

// DecodeDevInstancesEach is DecodeDevInstances for a large answer (the
// Gen 1 list returns every instance at once: 20,000 of them are 27 MB):
// it reads the instances one at a time and hands them to emit in batches
// of up to batch, so that neither all of their raw JSON nor all of their
// conversions are held at once. total is the server's total_count, -1
// while it is not known yet (the reference's sample sends it after the
// instances); the last call (last set, possibly with no instances) has
// it. A syntax error stops with an error after the batches before it.
func DecodeDevInstancesEach(b []byte, batch int, emit func(insts []Instance, total int, last bool)) error {
	if !isJSONObject(b) {
		return notObject("dev list")
	}
	batch = max(batch, 1)
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil { // {
		return fmt.Errorf("model: dev list: %w", err)
	}
	total := -1
	var (
		out []Instance
		c   compactor
	)
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return fmt.Errorf("model: dev list: %w", err)
		}
		// Member names match case-insensitively, as encoding/json matches
		// them for DecodeDevInstances.
		name, _ := key.(string)
		switch {
		case strings.EqualFold(name, "total_count"):
			var n FlexInt
			if err := dec.Decode(&n); err != nil {
				return fmt.Errorf("model: dev list: %w", err)
			}
			total = n.Int()
			continue
		case strings.EqualFold(name, "instances"):
			var raw json.RawMessage
			if t, err := dec.Token(); err != nil {
				return fmt.Errorf("model: dev list: %w", err)
			} else if t != json.Delim('[') {
				// Not a list: nothing to read, as DecodeDevInstances reads it.
				if t == json.Delim('{') {
					if err := skipComposite(dec); err != nil {
						return fmt.Errorf("model: dev list: %w", err)
					}
				}
				continue
			}
			for dec.More() {
				raw = raw[:0]
				if err := dec.Decode(&raw); err != nil {
					return fmt.Errorf("model: dev list: %w", err)
				}
				if !isJSONObject(raw) {
					continue
				}
				var d DevInstance
				_ = json.Unmarshal(raw, &d)
				in := fromDevInstance(d)
				in.wire = c.compact(raw)
				if out = append(out, in); len(out) == batch {
					emit(out, total, false)
					out = nil
				}
			}
			if _, err := dec.Token(); err != nil { // ]
				return fmt.Errorf("model: dev list: %w", err)
			}
			continue
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return fmt.Errorf("model: dev list: %w", err)
		}
	}
	emit(out, total, true)
	return nil
}

func decodeDevPage(b []byte, keep func(DevInstance)) (int, []Instance, error) {
	var raw struct {
		TotalCount FlexInt           `json:"total_count"`
		Instances  []json.RawMessage `json:"instances"`
	}
	if !isJSONObject(b) {
		return 0, nil, notObject("dev list")
	}
	if err := decodeLenient(b, &raw); err != nil {
		return 0, nil, fmt.Errorf("model: dev list: %w", err)
	}
	out := make([]Instance, 0, len(raw.Instances))
	var c compactor
	for _, it := range raw.Instances {
		if !isJSONObject(it) {
			continue
		}
		var d DevInstance
		_ = json.Unmarshal(it, &d)
		if keep != nil {
			keep(d)
		}
		in := fromDevInstance(d)
		in.wire = c.compact(it)
		out = append(out, in)
	}
	return raw.TotalCount.Int(), out, nil
}

// ---- redaction ----

// isSecretKey names the JSON members whose values are credentials: the Gen 2
// notebook token, Gen 1 credential members, and the usual suspects should a
// response ever carry them.
func isSecretKey(k string) bool {
	switch strings.ToLower(k) {
	case "token", "access_token", "ssh_private_key", "private_key", "password",
		"secret", "secret_key", "sk", "security_token", "auth_token",
		"x-auth-token", "x-subject-token":
		return true
	}
	return false
}

// RedactJSON returns b re-encoded with the value of every secret member
// (token, access_token, ssh_private_key, password, …, at any depth) replaced
// by "[redacted]". Numbers keep their exact text; object keys come out
// sorted. It returns nil when b is not valid JSON, so that an unparseable
// body is never shown raw.
func RedactJSON(b []byte) json.RawMessage {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil
	}
	if _, err := dec.Token(); err == nil {
		return nil // trailing data after the first value
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // URLs with & stay readable
	if err := enc.Encode(redactValue(v)); err != nil {
		return nil
	}
	return json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n"))
}

func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			if isSecretKey(k) {
				if val != nil && val != "" {
					x[k] = Redacted
				}
				continue
			}
			x[k] = redactValue(val)
		}
	case []any:
		for i := range x {
			x[i] = redactValue(x[i])
		}
	}
	return v
}
