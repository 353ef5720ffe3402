package model

// Request bodies for both API generations. Optional members are pointers or
// omitempty so that an update sends only what the user changed.

// ---- Gen 2 (/v1/{project_id}/notebooks) ----

// LeaseReq is the auto-stop setting of a create, start or renew (durations in ms).
type LeaseReq struct {
	Duration int64  `json:"duration,omitempty"`
	Type     string `json:"type,omitempty"` // "timing" (default) or "idle"; lowercase in requests
}

// VolumeReq is the storage of a notebook at create time.
type VolumeReq struct {
	Category      string `json:"category"`  // EVS, EFS, OBS, OBSFS (SFS on OTC-2025)
	Ownership     string `json:"ownership"` // MANAGED or DEDICATED
	Capacity      int    `json:"capacity,omitempty"`
	URI           string `json:"uri,omitempty"`
	ID            string `json:"id,omitempty"`
	MountPath     string `json:"mount_path,omitempty"`
	ReadOnly      bool   `json:"read_only,omitempty"`
	DewSecretName string `json:"dew_secret_name,omitempty"`
}

// EndpointsReq configures remote (SSH) access. OTC-2024 called the members
// dev_service and ssh_keys; the current API and the SDK use these names.
type EndpointsReq struct {
	Service          string   `json:"service,omitempty"` // NOTEBOOK or SSH
	KeyPairNames     []string `json:"key_pair_names,omitempty"`
	AllowedAccessIPs []string `json:"allowed_access_ips,omitempty"`
}

// CustomSpec is a dedicated-pool custom size, exclusive with a flavor. Seed
// 002: cpu > 0.3 cores, memory > 512 MiB; gpu only on GPU pools.
type CustomSpec struct {
	CPU            float64  `json:"cpu"`
	Memory         float64  `json:"memory"`
	GPU            *float64 `json:"gpu,omitempty"`
	GPUType        string   `json:"gpu_type,omitempty"`
	Arch           string   `json:"arch,omitempty"`
	Category       string   `json:"category,omitempty"`
	ResourceFlavor string   `json:"resource_flavor,omitempty"`
}

// Hook script types: SCRIPT (default) takes an absolute path, COMMAND takes
// base64-encoded script content.
const (
	HookScript  = "SCRIPT"
	HookCommand = "COMMAND"
)

// HookConfig is one container hook.
type HookConfig struct {
	Script string `json:"script,omitempty"`
	Type   string `json:"type,omitempty"`
	Mode   string `json:"mode,omitempty"` // BLOCK or ASYNC (SDK only)
}

// ContainerHooks holds the pre-start and post-start hooks.
type ContainerHooks struct {
	PreStart  *HookConfig `json:"pre_start,omitempty"`
	PostStart *HookConfig `json:"post_start,omitempty"`
}

// CustomHooks is the `hooks` member of create and update.
type CustomHooks struct {
	ContainerHooks *ContainerHooks `json:"container_hooks,omitempty"`
}

// CreateNotebookRequest is the body of POST /notebooks.
type CreateNotebookRequest struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Feature     string         `json:"feature,omitempty"` // NOTEBOOK (default) or DEFAULT (CodeLab)
	Flavor      string         `json:"flavor,omitempty"`  // omitted with CustomSpec
	ImageID     string         `json:"image_id"`
	Volume      VolumeReq      `json:"volume"`
	PoolID      string         `json:"pool_id,omitempty"`
	WorkspaceID string         `json:"workspace_id,omitempty"`
	Endpoints   []EndpointsReq `json:"endpoints,omitempty"`
	Lease       *LeaseReq      `json:"lease,omitempty"`
	// Duration is the legacy top-level auto-stop in ms; when present the
	// service ignores Lease and uses a timing lease. It is the only way to
	// create a notebook without auto-stop: -1 (what the Terraform provider
	// sends; observed, not documented — reference §3.3, §8.13).
	Duration   *int64       `json:"duration,omitempty"`
	Hooks      *CustomHooks `json:"hooks,omitempty"`
	CustomSpec *CustomSpec  `json:"custom_spec,omitempty"`
	Affinity   *Affinity    `json:"affinity,omitempty"`
}

// UpdateNotebookRequest is the body of PUT /notebooks/{id}; nil members are
// not sent and leave the field unchanged.
type UpdateNotebookRequest struct {
	Name           *string         `json:"name,omitempty"`
	Description    *string         `json:"description,omitempty"`
	Flavor         *string         `json:"flavor,omitempty"`
	ImageID        *string         `json:"image_id,omitempty"`
	Endpoints      []EndpointsReq  `json:"endpoints,omitempty"`
	StorageNewSize *int            `json:"storage_new_size,omitempty"`
	Hooks          *CustomHooks    `json:"hooks,omitempty"`
	CustomSpec     *CustomSpec     `json:"custom_spec,omitempty"`
	Affinity       *AffinityUpdate `json:"affinity,omitempty"`
}

// OpenCodeLabRequest is the body of POST /notebooks/open (seed 003). ShareURL
// is the base64 encoding of the .ipynb URL.
type OpenCodeLabRequest struct {
	ImageID  string `json:"image_id,omitempty"`
	ShareURL string `json:"share_url,omitempty"`
}

// ---- Gen 1 (/v1/{project_id}/demanager/instances) ----

// DevLocation is where Gen 1 storage lives.
type DevLocation struct {
	Path        string `json:"path,omitempty"`
	VolumeSize  int    `json:"volume_size,omitempty"`
	VolumeUnit  string `json:"volume_unit,omitempty"`
	MountPath   string `json:"mount_path,omitempty"`
	AccessModes string `json:"access_modes,omitempty"`
}

// DevStorage is a Gen 1 storage definition (type obs, obsfs or evs).
type DevStorage struct {
	Type     string       `json:"type"`
	Location *DevLocation `json:"location,omitempty"`
}

// DevAutoStopReq is the auto-stop setting of a Gen 1 create or modify
// (duration in seconds, 3,600–86,400, required when Enable is true).
type DevAutoStopReq struct {
	Enable   *bool `json:"enable,omitempty"`
	Duration *int  `json:"duration,omitempty"`
	Prompt   *bool `json:"prompt,omitempty"`
}

// DevCreateSpec is the `spec` of a Gen 1 create.
type DevCreateSpec struct {
	Storage       DevStorage        `json:"storage"`
	ExtendStorage []DevStorage      `json:"extend_storage,omitempty"`
	AutoStop      *DevAutoStopReq   `json:"auto_stop,omitempty"`
	Annotations   map[string]string `json:"annotations,omitempty"`
}

// IDRef is an object carrying only an id (workspace, ai_project).
type IDRef struct {
	ID string `json:"id"`
}

// DevPoolReq selects a dedicated pool for a Gen 1 instance.
type DevPoolReq struct {
	ID    string     `json:"id"`
	Type  string     `json:"type,omitempty"`
	Name  string     `json:"name,omitempty"`
	Owner *PoolOwner `json:"owner,omitempty"`
}

// PoolOwner is the owner of a dedicated pool.
type PoolOwner struct {
	ProjectID string `json:"project_id,omitempty"`
}

// CreateDevInstanceRequest is the body of POST /demanager/instances (seed 001).
type CreateDevInstanceRequest struct {
	Name        string        `json:"name"`
	Description string        `json:"description"` // seed 001's sample sends "" explicitly
	ProfileID   string        `json:"profile_id"`
	Flavor      string        `json:"flavor"`
	Spec        DevCreateSpec `json:"spec"`
	Workspace   *IDRef        `json:"workspace,omitempty"`
	Pool        *DevPoolReq   `json:"pool,omitempty"`
	AIProject   *IDRef        `json:"ai_project,omitempty"`
}

// DevModifySpec is the `spec` of a Gen 1 modify.
type DevModifySpec struct {
	AutoStop *DevAutoStopReq `json:"auto_stop,omitempty"`
}

// ModifyDevInstanceRequest is the body of PUT /demanager/instances/{id}
// (seed 000): description and auto-stop only.
type ModifyDevInstanceRequest struct {
	Description *string        `json:"description,omitempty"`
	Spec        *DevModifySpec `json:"spec,omitempty"`
}

// Gen 1 actions for POST /demanager/instances/{id}/action.
const (
	ActionStart = "start"
	ActionStop  = "stop"
)

// DevActionRequest is the body of a Gen 1 action.
type DevActionRequest struct {
	Action string `json:"action"`
}

// DevActionResponse is the answer to a Gen 1 action.
type DevActionResponse struct {
	CurrentStatus string `json:"current_status"`
	PreviousState string `json:"previous_state"`
}
