package model

import (
	"bytes"
	"encoding/json"
	"time"
)

// Gen 2 (/v1/{project_id}/notebooks, /images) response types, reference §3.
//
// Every type here decodes leniently: a field of an unexpected kind becomes
// zero and the rest of the object survives (see decodeLenient). Numbers are
// FlexInt/FlexFloat/Millis so that numeric strings are read as numbers.
// Objects are values (not pointers) so that consumers need no nil checks;
// they are omitted when zero on encoding.

// Notebook is a NotebookResp: what create, show, start, stop, delete,
// update, each list element and CodeLab open return.
type Notebook struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status"`            // §4.2; compare with NormEnum
	Feature     string `json:"feature,omitempty"` // NOTEBOOK or DEFAULT (CodeLab)
	// Flavor is the flavor ID; "custom.flavor.spec.code" with CustomSpec.
	Flavor     string      `json:"flavor,omitempty"`
	CustomSpec *CustomSpec `json:"custom_spec,omitempty"`
	// Image: instances usually carry only id, name, swr_path, tag, type,
	// description.
	Image          Image         `json:"image,omitzero"`
	Lease          Lease         `json:"lease,omitzero"`
	ActionProgress []JobProgress `json:"action_progress,omitempty"`
	Endpoints      []Endpoint    `json:"endpoints,omitempty"`
	URL            string        `json:"url,omitempty"`
	// Token authenticates the JupyterLab front end; it changes on every start.
	Token           Secret       `json:"token,omitempty"`
	Volume          VolumeRes    `json:"volume,omitzero"`
	DataVolumes     []DataVolume `json:"data_volumes,omitempty"`
	FailReason      string       `json:"fail_reason,omitempty"`
	Pool            NotebookPool `json:"pool,omitzero"`
	User            NotebookUser `json:"user,omitzero"`
	UserID          string       `json:"user_id,omitempty"`
	RunUser         RunUser      `json:"run_user,omitzero"`
	Hooks           *CustomHooks `json:"hooks,omitempty"`
	Affinity        *Affinity    `json:"affinity,omitempty"`
	Tags            []Tag        `json:"tags,omitempty"`
	WorkspaceID     string       `json:"workspace_id,omitempty"`
	BillingItems    []string     `json:"billing_items,omitempty"` // STORAGE, COMPUTE, ALL
	UserVPC         UserVPC      `json:"user_vpc,omitzero"`
	IP              string       `json:"ip,omitempty"`
	NeedCredentials *bool        `json:"is_need_credentials,omitempty"`
	JupyterVersion  string       `json:"jupyter_version,omitempty"`
	CreateAt        Millis       `json:"create_at,omitempty"` // §8.14: in samples, not in the SDK struct
	UpdateAt        Millis       `json:"update_at,omitempty"`
}

// UnmarshalJSON decodes leniently, and also reads a custom_spec whose
// numbers arrive as strings (CustomSpec's own float64 fields would refuse
// them).
func (n *Notebook) UnmarshalJSON(b []byte) error {
	type alias Notebook
	if err := decodeLenient(b, (*alias)(n)); err != nil {
		return err
	}
	if n.CustomSpec == nil && !bytes.Contains(b, []byte(`"custom_spec"`)) {
		return nil // the second pass below costs as much as the first: most notebooks have no custom_spec
	}
	var shadow struct {
		CustomSpec *struct {
			CPU    FlexFloat  `json:"cpu"`
			Memory FlexFloat  `json:"memory"`
			GPU    *FlexFloat `json:"gpu"`
		} `json:"custom_spec"`
	}
	_ = decodeLenient(b, &shadow)
	if cs := shadow.CustomSpec; cs != nil && n.CustomSpec != nil {
		n.CustomSpec.CPU = float64(cs.CPU)
		n.CustomSpec.Memory = float64(cs.Memory)
		if cs.GPU != nil {
			g := float64(*cs.GPU)
			n.CustomSpec.GPU = &g
		}
	}
	return nil
}

// Image is an image as ListImage returns it and as notebooks embed it.
type Image struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Namespace   string `json:"namespace,omitempty"` // SWR organisation
	Tag         string `json:"tag,omitempty"`
	SwrPath     string `json:"swr_path,omitempty"`
	Description string `json:"description,omitempty"`
	// Arch is X86_64/AARCH64 in docs, lowercase in samples (§8.6); use NormArch.
	Arch                 string   `json:"arch,omitempty"`
	Type                 string   `json:"type,omitempty"`         // BUILD_IN or DEDICATED
	Origin               string   `json:"origin,omitempty"`       // CUSTOMIZE or IMAGE_SAVE
	ServiceType          string   `json:"service_type,omitempty"` // COMMON, INFERENCE, TRAIN, DEV, UNKNOWN
	DevServices          []string `json:"dev_services,omitempty"` // NOTEBOOK, SSH (samples also AI_FLOW)
	ResourceCategories   []string `json:"resource_categories,omitempty"`
	SupportResCategories []string `json:"support_res_categories,omitempty"`
	Status               string   `json:"status,omitempty"` // INIT, CREATING, CREATE_FAILED, ERROR, DELETED, ACTIVE
	StatusMessage        string   `json:"status_message,omitempty"`
	Size                 FlexInt  `json:"size,omitempty"`       // KB
	Visibility           string   `json:"visibility,omitempty"` // PRIVATE, PUBLIC, HIDDEN
	WorkspaceID          string   `json:"workspace_id,omitempty"`
	CreateAt             Millis   `json:"create_at,omitempty"`
	UpdateAt             Millis   `json:"update_at,omitempty"`
	FlavorType           string   `json:"flavor_type,omitempty"` // ASCEND_SNT9, ASCEND_SNT9B, ASCEND_SNT3
	SwrInstanceID        string   `json:"swr_instance_id,omitempty"`
	ShowName             string   `json:"show_name,omitempty"`
	ShowTag              string   `json:"show_tag,omitempty"`
	Tags                 []Tag    `json:"tags,omitempty"`
}

// UnmarshalJSON decodes leniently.
func (im *Image) UnmarshalJSON(b []byte) error {
	type alias Image
	return decodeLenient(b, (*alias)(im))
}

// Ref returns "name:tag" (or just the name), falling back to the last path
// element of swr_path when the name is missing.
func (im Image) Ref() string {
	name, tag := im.Name, im.Tag
	if name == "" && im.SwrPath != "" {
		last := im.SwrPath
		for i := len(last) - 1; i >= 0; i-- {
			if last[i] == '/' {
				last = last[i+1:]
				break
			}
		}
		return last // already "name:tag"
	}
	if tag == "" {
		return name
	}
	return name + ":" + tag
}

// Lease is a notebook's auto-stop lease (§5). The deadline is
// CreateAt + Duration: the server re-bases Duration on every start, renew
// and stop so that this sum is the stop time.
type Lease struct {
	CreateAt Millis  `json:"create_at,omitempty"`
	Duration FlexInt `json:"duration,omitempty"` // ms; -1 = no auto-stop (observed)
	Enable   bool    `json:"enable"`
	Type     string  `json:"type,omitempty"` // TIMING or IDLE in responses; see NormEnum
	UpdateAt Millis  `json:"update_at,omitempty"`
}

// UnmarshalJSON decodes leniently and falls back to create_time/update_time:
// seed 003 (OTC-2024 CodeLab) names the fields so in its table while every
// sample, including seed 003's own, uses create_at/update_at (§8.2).
func (l *Lease) UnmarshalJSON(b []byte) error {
	type alias Lease
	var w struct {
		alias
		CreateTime Millis `json:"create_time"`
		UpdateTime Millis `json:"update_time"`
	}
	w.alias = alias(*l)
	if err := decodeLenient(b, &w); err != nil {
		return err
	}
	*l = Lease(w.alias)
	if l.CreateAt == 0 {
		l.CreateAt = w.CreateTime
	}
	if l.UpdateAt == 0 {
		l.UpdateAt = w.UpdateTime
	}
	return nil
}

// Deadline returns CreateAt + Duration, or the zero time when the lease is
// disabled or incomplete. It applies whatever the instance status is; the
// caller decides when a countdown is meaningful (RUNNING, TIMING).
func (l Lease) Deadline() time.Time {
	if !l.Enable || l.CreateAt <= 0 || l.Duration <= 0 {
		return time.Time{}
	}
	// Overflow guard: a hostile duration must not wrap to the past.
	if int64(l.Duration) > (1<<62)-int64(l.CreateAt) {
		return time.Time{}
	}
	return (l.CreateAt + Millis(l.Duration)).Time()
}

// Remaining returns the time left until Deadline as of now (clamped at 0),
// and false when there is no deadline.
func (l Lease) Remaining(now time.Time) (time.Duration, bool) {
	d := l.Deadline()
	if d.IsZero() {
		return 0, false
	}
	r := d.Sub(now)
	if r < 0 {
		r = 0
	}
	return r, true
}

// NormType returns the lease type upper-cased, TIMING when absent.
func (l Lease) NormType() string {
	if t := NormEnum(l.Type); t != "" {
		return t
	}
	return LeaseTiming
}

// JobProgress is one action_progress step (1 storage, 2 compute, 3 network,
// 4 init instance). Steps may arrive in any order (§8.5).
type JobProgress struct {
	NotebookID string  `json:"notebook_id,omitempty"` // docs only
	Step       FlexInt `json:"step"`
	Status     string  `json:"status"` // WAITING, PROCESSING, FAILED, COMPLETED
	// Description is "description" in samples and the SDK; seeds 002/003's
	// tables call it "step_description", which is read as a fallback.
	Description string `json:"description,omitempty"`
}

// UnmarshalJSON decodes leniently and reads step_description as a fallback.
func (p *JobProgress) UnmarshalJSON(b []byte) error {
	type alias JobProgress
	var w struct {
		alias
		StepDescription string `json:"step_description"`
	}
	w.alias = alias(*p)
	if err := decodeLenient(b, &w); err != nil {
		return err
	}
	*p = JobProgress(w.alias)
	if p.Description == "" {
		p.Description = w.StepDescription
	}
	return nil
}

// Endpoint is an EndpointsRes: how the instance is reached.
type Endpoint struct {
	// Service is NOTEBOOK or SSH. Seed 002 lists both service and the older
	// dev_service in the response; OTC-2024 (seed 003) only dev_service.
	// Either is read; service wins when both are present.
	Service string `json:"service,omitempty"`
	URI     string `json:"uri,omitempty"` // URL for NOTEBOOK, private IP for SSH
	// KeyPairNames is key_pair_names (SDK), a.k.a. ssh_keys (seeds 002/003).
	KeyPairNames     []string `json:"key_pair_names,omitempty"`
	AllowedAccessIPs []string `json:"allowed_access_ips,omitempty"`
}

// UnmarshalJSON decodes leniently and reads the OTC-2024 names dev_service
// and ssh_keys as fallbacks (§8.4).
func (e *Endpoint) UnmarshalJSON(b []byte) error {
	type alias Endpoint
	var w struct {
		alias
		DevService string   `json:"dev_service"`
		SSHKeys    []string `json:"ssh_keys"`
	}
	w.alias = alias(*e)
	if err := decodeLenient(b, &w); err != nil {
		return err
	}
	*e = Endpoint(w.alias)
	if e.Service == "" {
		e.Service = w.DevService
	}
	if e.KeyPairNames == nil {
		e.KeyPairNames = w.SSHKeys
	}
	return nil
}

// VolumeRes is a notebook's main storage.
type VolumeRes struct {
	Category      string  `json:"category,omitempty"`  // EVS, EFS, SFS, OBS, OBSFS
	Ownership     string  `json:"ownership,omitempty"` // MANAGED or DEDICATED
	Capacity      FlexInt `json:"capacity,omitempty"`  // GB
	MountPath     string  `json:"mount_path,omitempty"`
	Status        string  `json:"status,omitempty"` // e.g. RESIZING during EVS growth
	ReadOnly      bool    `json:"read_only"`
	ID            string  `json:"id,omitempty"`
	URI           string  `json:"uri,omitempty"`
	DewSecretName string  `json:"dew_secret_name,omitempty"`
	EvsSkuCode    string  `json:"evs_sku_code,omitempty"`
	MountType     string  `json:"mount_type,omitempty"` // STATIC or DYNAMIC
}

// DataVolume is an extra mount (data_volumes) or a dynamic storage mount
// (§3.13); the two share their fields.
type DataVolume struct {
	ID            string `json:"id,omitempty"`
	Category      string `json:"category,omitempty"` // OBS, OBSFS, EFS
	MountPath     string `json:"mount_path,omitempty"`
	URI           string `json:"uri,omitempty"`
	URL           string `json:"url,omitempty"`
	Status        string `json:"status,omitempty"`
	MountType     string `json:"mount_type,omitempty"`
	FailureReason string `json:"failure_reason,omitempty"`
	EfsID         string `json:"efs_id,omitempty"`
}

// NotebookPool is the dedicated pool a notebook runs on.
type NotebookPool struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// Domain is an account (domain) reference.
type Domain struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// NotebookUser is the owner of a notebook.
type NotebookUser struct {
	ID     string `json:"id,omitempty"`
	Name   string `json:"name,omitempty"`
	Domain Domain `json:"domain,omitzero"`
}

// RunUser is the container's startup user.
type RunUser struct {
	UID       FlexInt `json:"uid,omitempty"`
	GID       FlexInt `json:"gid,omitempty"`
	UserName  string  `json:"user_name,omitempty"`
	GroupName string  `json:"group_name,omitempty"`
}

// UserVPC is the customer VPC a notebook is attached to (HWC).
type UserVPC struct {
	VPCID            string   `json:"vpc_id,omitempty"`
	SubnetID         string   `json:"subnet_id,omitempty"`
	SecurityGroupIDs []string `json:"security_group_ids,omitempty"`
	// ConnectCIDRs is undocumented in shape (string or list); kept verbatim.
	ConnectCIDRs json.RawMessage `json:"connect_cidrs,omitempty"`
	PortID       string          `json:"port_id,omitempty"`
	PortIP       string          `json:"port_ip,omitempty"`
}

// Tag is a TMS tag on a notebook or image.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// NotebookFlavor is one item of GET /notebooks/flavors and
// /notebooks/{id}/flavors (§3.9).
type NotebookFlavor struct {
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"` // "CPU: 2 vCPUs 8 GB"
	Description string `json:"description,omitempty"`
	// Arch is lowercase since SDK 0.1.207, uppercase in docs; use NormArch.
	Arch     string `json:"arch,omitempty"`
	Category string `json:"category,omitempty"` // CPU, GPU, ASCEND; see KindOf
	Feature  string `json:"feature,omitempty"`  // NOTEBOOK or DEFAULT
	Free     bool   `json:"free"`
	// SoldOut true means resources are insufficient right now.
	SoldOut         bool        `json:"sold_out"`
	VCPUs           FlexInt     `json:"vcpus,omitempty"`
	Memory          FlexInt     `json:"memory,omitempty"` // KiB (8388608 = 8 GiB)
	GPU             GPUInfo     `json:"gpu,omitzero"`
	Ascend          AscendInfo  `json:"ascend,omitzero"`
	Billing         BillingInfo `json:"billing,omitzero"`
	Storages        []string    `json:"storages,omitempty"` // EVS, EFS, OBS, OBSFS, EFS_DEDICATED
	EvsMaxSize      FlexString  `json:"evs_max_size,omitempty"`
	EvsSkuCode      string      `json:"evs_sku_code,omitempty"`
	GrowSupportType string      `json:"grow_support_type,omitempty"`
}

// UnmarshalJSON decodes leniently.
func (f *NotebookFlavor) UnmarshalJSON(b []byte) error {
	type alias NotebookFlavor
	return decodeLenient(b, (*alias)(f))
}

// MemoryBytes converts Memory from KiB to bytes (0 on overflow).
func (f NotebookFlavor) MemoryBytes() int64 {
	if f.Memory <= 0 || int64(f.Memory) > (1<<63-1)/1024 {
		return 0
	}
	return int64(f.Memory) * 1024
}

// GPUInfo describes a flavor's GPUs.
type GPUInfo struct {
	GPU       FlexInt    `json:"gpu,omitempty"`        // card count
	GPUMemory FlexString `json:"gpu_memory,omitempty"` // per card, e.g. "32GB"
	Type      string     `json:"type,omitempty"`
}

// AscendInfo describes a flavor's Ascend NPUs.
type AscendInfo struct {
	NPU       FlexInt    `json:"npu,omitempty"`        // card count
	NPUMemory FlexString `json:"npu_memory,omitempty"` // per card, e.g. "32GB"
	Type      string     `json:"type,omitempty"`       // "Ascend 910"
	Chip      FlexInt    `json:"chip,omitempty"`       // device count (SDK)
}

// BillingInfo is a flavor's billing code.
type BillingInfo struct {
	Code    string  `json:"code,omitempty"` // may differ from the flavor id
	UnitNum FlexInt `json:"unit_num,omitempty"`
}

// UnmarshalJSON decodes leniently and reads unitNum (one OTC sample, §8.10)
// when unit_num is absent.
func (bi *BillingInfo) UnmarshalJSON(b []byte) error {
	type alias BillingInfo
	var w struct {
		alias
		UnitNumCamel *FlexInt `json:"unitNum"`
	}
	w.alias = alias(*bi)
	// encoding/json matches keys case-insensitively but "unitNum" and
	// "unit_num" differ by the underscore, so the two fields do not collide.
	if err := decodeLenient(b, &w); err != nil {
		return err
	}
	*bi = BillingInfo(w.alias)
	if bi.UnitNum == 0 && w.UnitNumCamel != nil {
		bi.UnitNum = *w.UnitNumCamel
	}
	return nil
}

// Page is the Gen 2 list envelope (notebooks, flavors, images, storage).
// Flavor endpoints return their items in both data and flavors; OTC-2024's
// switchable-flavor call only in flavors (§8.10). Current is 0- or 1-based
// depending on the endpoint (§8.9): page with offset/limit and Total.
type Page[T any] struct {
	Current FlexInt `json:"current"`
	Data    []T     `json:"data"`
	Pages   FlexInt `json:"pages"`
	Size    FlexInt `json:"size"`
	Total   FlexInt `json:"total"`
	Flavors []T     `json:"flavors,omitempty"`
}

// Items returns Data, or Flavors when Data is empty.
func (p Page[T]) Items() []T {
	if len(p.Data) > 0 {
		return p.Data
	}
	return p.Flavors
}

// UnmarshalJSON decodes leniently: an odd envelope field does not lose the items.
func (p *Page[T]) UnmarshalJSON(b []byte) error {
	type alias Page[T]
	return decodeLenient(b, (*alias)(p))
}

// MarshalJSON writes "data":[] rather than null for an empty page, as the
// API does.
func (p Page[T]) MarshalJSON() ([]byte, error) {
	type alias Page[T]
	a := alias(p)
	if a.Data == nil {
		a.Data = []T{}
	}
	return json.Marshal(a)
}
