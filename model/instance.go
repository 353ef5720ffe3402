package model

import (
	"encoding/json"
	"time"
)

// Generation is the API generation an instance belongs to.
type Generation int

const (
	Gen1 Generation = 1 // /demanager/instances (DevEnviron, "historical")
	Gen2 Generation = 2 // /notebooks
)

func (g Generation) String() string {
	if g == Gen1 {
		return "gen1"
	}
	return "gen2"
}

// StatusClass groups the many status values of both generations into what a
// user cares about at a glance.
type StatusClass string

const (
	ClassRunning      StatusClass = "running"
	ClassTransitional StatusClass = "transitional"
	ClassStopped      StatusClass = "stopped"
	ClassFailed       StatusClass = "failed"
	ClassQueued       StatusClass = "queued"
)

// AccelKind is the kind of compute a flavor provides.
type AccelKind string

const (
	KindCPU    AccelKind = "CPU"
	KindGPU    AccelKind = "GPU"
	KindAscend AccelKind = "Ascend"
)

// Spec is a normalised compute spec, whichever generation or flavor format
// it came from.
type Spec struct {
	Kind            AccelKind `json:"kind"`
	Count           int       `json:"count,omitempty"`             // accelerator cards (GPUs or NPUs)
	CardMemoryBytes int64     `json:"card_memory_bytes,omitempty"` // memory per card
	Type            string    `json:"type,omitempty"`              // "Ascend 910", "Ascend 910B", "V100"
	Chips           int       `json:"chips,omitempty"`             // Ascend chip (device) count where given
	VCPUs           float64   `json:"vcpus,omitempty"`
	MemoryBytes     int64     `json:"memory_bytes,omitempty"`
	Arch            string    `json:"arch,omitempty"` // x86_64 or aarch64
}

// AutoStop is an instance's auto-stop setting with its absolute deadline.
type AutoStop struct {
	Enabled  bool          `json:"enabled"`
	Type     string        `json:"type,omitempty"` // TIMING or IDLE (Gen 2); TIMING for Gen 1
	Duration time.Duration `json:"-"`              // configured run time; JSON: duration_seconds
	// Deadline is the absolute time the instance stops: lease.create_at +
	// lease.duration (Gen 2) or spec.auto_stop.stop_timestamp (Gen 1). Zero
	// when no deadline applies.
	Deadline time.Time `json:"deadline,omitzero"`
}

// MarshalJSON writes the duration as whole seconds: `matui list -o json` is
// read by scripts, which should not have to know Go's nanosecond Duration.
func (a AutoStop) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Enabled         bool      `json:"enabled"`
		Type            string    `json:"type,omitempty"`
		DurationSeconds int64     `json:"duration_seconds,omitempty"`
		Deadline        time.Time `json:"deadline,omitzero"`
	}{a.Enabled, a.Type, int64(a.Duration / time.Second), a.Deadline})
}

// Storage summarises where an instance keeps its work.
type Storage struct {
	Kind       string `json:"kind,omitempty"` // EVS, EFS, OBS, OBSFS, SFS
	CapacityGB int    `json:"capacity_gb,omitempty"`
	Path       string `json:"path,omitempty"` // OBS path or mount path
	Status     string `json:"status,omitempty"`
}

// Mount is one extra storage of an instance (a data_volumes entry).
type Mount struct {
	ID        string `json:"id,omitempty"`
	Kind      string `json:"kind,omitempty"` // OBS, OBSFS, EFS
	MountPath string `json:"mount_path,omitempty"`
	URI       string `json:"uri,omitempty"`
	Status    string `json:"status,omitempty"` // MOUNTING, MOUNTED, … (see Mount* constants)
	Dynamic   bool   `json:"dynamic,omitempty"`
}

// Step is one action_progress step of a Gen 2 instance being created.
type Step struct {
	Step        int    `json:"step"`
	Status      string `json:"status"`
	Description string `json:"description,omitempty"`
}

// Access is one way into an instance: the JupyterLab URL (NOTEBOOK) or
// remote SSH with its key pairs and IP whitelist.
type Access struct {
	Service          string   `json:"service"`       // NOTEBOOK or SSH
	URI              string   `json:"uri,omitempty"` // URL, or private IP for SSH
	KeyPairNames     []string `json:"key_pair_names,omitempty"`
	AllowedAccessIPs []string `json:"allowed_access_ips,omitempty"`
}

// Instance is the generation-independent view of a notebook instance that
// the UI renders and `matui list -o json` prints.
type Instance struct {
	Generation  Generation  `json:"generation"`
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Description string      `json:"description,omitempty"`
	Status      string      `json:"status"` // upper-case API status
	Class       StatusClass `json:"class"`
	Feature     string      `json:"feature,omitempty"` // NOTEBOOK or DEFAULT (CodeLab)
	Flavor      string      `json:"flavor,omitempty"`
	Spec        Spec        `json:"spec"`
	Image       string      `json:"image,omitempty"` // name:tag (Gen 2) or profile name (Gen 1)
	ImageID     string      `json:"image_id,omitempty"`
	Storage     Storage     `json:"storage"`
	AutoStop    AutoStop    `json:"auto_stop"`
	// QueueRank is the position in a free-flavor queue (0 when not queued);
	// QueueDeadline is when queuing is expected to end.
	QueueRank     int       `json:"queue_rank,omitempty"`
	QueueDeadline time.Time `json:"queue_deadline,omitzero"`
	Created       time.Time `json:"created,omitzero"`
	Updated       time.Time `json:"updated,omitzero"`
	Owner         string    `json:"owner,omitempty"`
	URL           string    `json:"url,omitempty"`
	Pool          string    `json:"pool,omitempty"`
	FailReason    string    `json:"fail_reason,omitempty"`
	Progress      []Step    `json:"progress,omitempty"`
	// Endpoints are the remote-access settings (Gen 2).
	Endpoints []Access `json:"endpoints,omitempty"`
	// Affinity holds the node-affinity rules of a dedicated-pool notebook
	// (Gen 2); nil when there are none.
	Affinity *Affinity `json:"affinity,omitempty"`
	// Tags are the notebook's TMS tags (Gen 2), in the API's order.
	Tags []Tag `json:"tags,omitempty"`
	// Mounts are the extra storages of a Gen 2 notebook (its data_volumes:
	// dynamic OBS/OBSFS/EFS mounts with their live status), so a list can
	// show them without a storage call per instance.
	Mounts []Mount `json:"mounts,omitempty"`
	// Raw is the instance exactly as the API returned it, secrets redacted:
	// the cache of RawJSON, which fills it on first use. Read it through
	// RawJSON.
	Raw json.RawMessage `json:"-"`
	// src is the decoded wire struct FromNotebook / FromDevInstance were
	// given (one action's answer); RawJSON renders it on first use.
	// Rendering it eagerly cost a hundred times the rest of the conversion
	// on every poll, for a view the user opens for one instance at a time.
	src any
	// wire is the JSON the Decode* helpers (the listing path) converted
	// from, compressed (see wire.go): about 300 bytes where keeping the
	// decoded struct cost 2 KB per instance of a 100,000-instance project.
	wire *compactJSON
}

// RawJSON is the instance as the API returned it, secrets redacted, for
// the details view's raw JSON and `matui get -o raw`. It is computed on
// first use and kept in in.Raw.
func (in *Instance) RawJSON() json.RawMessage {
	if in.Raw != nil {
		return in.Raw
	}
	switch {
	case in.wire != nil:
		if b := in.wire.expand(); b != nil {
			in.Raw = RedactJSON(b)
		}
	case in.src != nil:
		if b, err := json.Marshal(in.src); err == nil {
			in.Raw = RedactJSON(b)
		}
	}
	return in.Raw
}

// Notebook is the Gen 2 wire struct behind the instance: the one it was
// converted from (decoded again from the stored JSON when it came from a
// listing), else decoded from Raw. Forms prefill from it.
func (in *Instance) Notebook() (Notebook, bool) {
	if nb, ok := in.src.(*Notebook); ok {
		return *nb, true
	}
	var nb Notebook
	if in.Generation == Gen2 && in.wire.decodeWire(&nb) && nb.ID != "" {
		return nb, true
	}
	nb = Notebook{}
	if in.Generation == Gen2 && len(in.Raw) > 0 && json.Unmarshal(in.Raw, &nb) == nil && nb.ID != "" {
		return nb, true
	}
	return Notebook{}, false
}

// DevInstance is the Gen 1 wire struct behind the instance, like Notebook.
func (in *Instance) DevInstance() (DevInstance, bool) {
	if d, ok := in.src.(*DevInstance); ok {
		return *d, true
	}
	var d DevInstance
	if in.Generation == Gen1 && in.wire.decodeWire(&d) && d.ID != "" {
		return d, true
	}
	d = DevInstance{}
	if in.Generation == Gen1 && len(in.Raw) > 0 && json.Unmarshal(in.Raw, &d) == nil && d.ID != "" {
		return d, true
	}
	return DevInstance{}, false
}
