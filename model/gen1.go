package model

import (
	"encoding/json"
	"strconv"
)

// Gen 1 (/v1/{project_id}/demanager/instances) response types, reference
// §2.1 and seeds 000 (modify) and 001 (create). List items, GET, PUT and
// POST-create all return the same DevInstance object. Decoding is lenient
// as for Gen 2 (see decodeLenient).

// DevInstance is a Gen 1 notebook instance.
type DevInstance struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Status      string `json:"status"` // §4.1
	// The two timestamps are JSON strings ("1594887749962") on the wire
	// (§1, seeds 000/001 type them String); MarshalJSON writes them back as
	// strings, UnmarshalJSON accepts strings and numbers.
	CreationTimestamp     Millis        `json:"creation_timestamp,omitempty"`
	LatestUpdateTimestamp Millis        `json:"latest_update_timestamp,omitempty"`
	Flavor                string        `json:"flavor"`
	FlavorDetails         FlavorDetails `json:"flavor_details,omitzero"`
	Profile               Profile       `json:"profile,omitzero"`
	Spec                  DevSpec       `json:"spec,omitzero"`
	Workspace             IDRef         `json:"workspace,omitzero"`
	Pool                  DevPool       `json:"pool,omitzero"`
	AIProject             IDRef         `json:"ai_project,omitzero"`
	ErrorCode             string        `json:"error_code,omitempty"` // ModelArts code of the last failure
	QueuingInfo           *QueuingInfo  `json:"queuing_info,omitempty"`
	User                  DevUser       `json:"user,omitzero"`
	// Repository cannot be set; the API returns it automatically.
	Repository *Repository `json:"repository,omitempty"`
}

// UnmarshalJSON decodes leniently.
func (d *DevInstance) UnmarshalJSON(b []byte) error {
	type alias DevInstance
	return decodeLenient(b, (*alias)(d))
}

// MarshalJSON writes the instance as the API does, with the two
// creation/update timestamps as strings.
func (d DevInstance) MarshalJSON() ([]byte, error) {
	type alias DevInstance
	w := struct {
		alias
		// Shallower fields win over the embedded ones of the same name.
		Creation string `json:"creation_timestamp,omitempty"`
		Latest   string `json:"latest_update_timestamp,omitempty"`
	}{alias: alias(d)}
	if d.CreationTimestamp != 0 {
		w.Creation = strconv.FormatInt(int64(d.CreationTimestamp), 10)
	}
	if d.LatestUpdateTimestamp != 0 {
		w.Latest = strconv.FormatInt(int64(d.LatestUpdateTimestamp), 10)
	}
	return json.Marshal(w)
}

// Profile is the engine (image) an instance runs.
type Profile struct {
	ID          string            `json:"id,omitempty"`
	Name        string            `json:"name,omitempty"` // "Ascend-Powered-Engine 1.0 (python3)"
	Description string            `json:"description,omitempty"`
	DeType      string            `json:"de_type,omitempty"`     // Notebook
	FlavorType  string            `json:"flavor_type,omitempty"` // CPU, GPU, Ascend; see KindOf
	Labels      map[string]string `json:"labels,omitempty"`
	Provision   Provision         `json:"provision,omitzero"`
}

// Provision is how a profile is deployed.
type Provision struct {
	Type        string            `json:"type,omitempty"` // Docker
	Annotations map[string]string `json:"annotations,omitempty"`
	Spec        ProvisionSpec     `json:"spec,omitzero"`
}

// ProvisionSpec is the deployment engine and its parameters.
type ProvisionSpec struct {
	Engine string          `json:"engine,omitempty"` // CCE
	Params ProvisionParams `json:"params,omitzero"`
}

// ProvisionParams are the Docker parameters of a profile.
type ProvisionParams struct {
	Namespace   string            `json:"namespace,omitempty"` // SWR organisation
	ImageName   string            `json:"image_name,omitempty"`
	ImageTag    string            `json:"image_tag,omitempty"`
	Annotations map[string]string `json:"annotations,omitempty"`
}

// FlavorDetails describes a Gen 1 flavor as embedded in an instance.
type FlavorDetails struct {
	Name   string `json:"name,omitempty"`
	Status string `json:"status,omitempty"` // onSale or soldOut
	// QueuingNum and QueueLeftTime (s) are present for Free flavors that are soldOut.
	QueuingNum    FlexInt  `json:"queuing_num,omitempty"`
	QueueLeftTime FlexInt  `json:"queue_left_time,omitempty"`
	StorageList   []string `json:"storage_list,omitempty"`
	IsPermitted   *bool    `json:"is_permitted,omitempty"`
	// Type is CPU/GPU in the docs, ASCEND in seed 000's table but "Ascend" in
	// its sample (§8.3); compare with KindOf.
	Type string `json:"type,omitempty"`
	// Params is free-form (§8.3): {"CPU":24,"NPU":1,"graphics_memory":"32GiB",
	// "memory":"96GiB","type":"Ascend 910"} or {"CPU":8,"GPU":1,
	// "gpu_type":"v100NV32","memory":"64GiB"}. Numbers decode as float64.
	Params        map[string]any `json:"params,omitempty"`
	PromoType     string         `json:"promo_type,omitempty"` // Free or NoDiscount
	InstanceNum   FlexInt        `json:"instance_num,omitempty"`
	Duration      FlexInt        `json:"duration,omitempty"`   // auto-stop seconds
	StoreTime     FlexInt        `json:"store_time,omitempty"` // hours; -1 = forever
	BillingFlavor string         `json:"billing_flavor,omitempty"`
	BillingParams FlexInt        `json:"billing_params,omitempty"`
	ParamsExtends map[string]any `json:"params_extends,omitempty"` // OTCEXT only
}

// DevSpec is a Gen 1 instance's spec.
type DevSpec struct {
	Storage       DevStorage   `json:"storage,omitzero"`
	ExtendStorage []DevStorage `json:"extend_storage,omitempty"`
	AutoStop      DevAutoStop  `json:"auto_stop,omitzero"`
	// Annotations holds target_domain and url (the URL is not directly usable).
	Annotations      map[string]string `json:"annotations,omitempty"`
	FailedReasons    *FailedReasons    `json:"failed_reasons,omitempty"`
	ExtendParams     map[string]any    `json:"extend_params,omitempty"`
	LogPath          string            `json:"log_path,omitempty"`
	CustomScriptPath string            `json:"custom_script_path,omitempty"`
	// Credential is documented as the AK/SK for OBS, but its fields are
	// ssh_private_key and access_token (seeds 000/001, tables 24/30).
	Credential                *DevCredential `json:"credential,omitempty"`
	Repository                *Repository    `json:"repository,omitempty"`
	ResourceReservedTimestamp Millis         `json:"resource_reserved_timestamp,omitempty"`
}

// UnmarshalJSON decodes leniently and also reads a volume_size that arrives
// as a string ("5"): DevLocation.VolumeSize (requests.go) is a plain int.
func (s *DevSpec) UnmarshalJSON(b []byte) error {
	type alias DevSpec
	if err := decodeLenient(b, (*alias)(s)); err != nil {
		return err
	}
	type loc struct {
		Location *struct {
			VolumeSize *FlexInt `json:"volume_size"`
		} `json:"location"`
	}
	var shadow struct {
		Storage       loc   `json:"storage"`
		ExtendStorage []loc `json:"extend_storage"`
	}
	_ = decodeLenient(b, &shadow)
	fix := func(dst *DevStorage, src loc) {
		if dst.Location != nil && src.Location != nil && src.Location.VolumeSize != nil {
			dst.Location.VolumeSize = FlexInt(*src.Location.VolumeSize).Int()
		}
	}
	fix(&s.Storage, shadow.Storage)
	for i := range s.ExtendStorage {
		if i < len(shadow.ExtendStorage) {
			fix(&s.ExtendStorage[i], shadow.ExtendStorage[i])
		}
	}
	return nil
}

// DevAutoStop is a Gen 1 instance's auto-stop state.
type DevAutoStop struct {
	Enable        bool    `json:"enable"`
	Duration      FlexInt `json:"duration,omitempty"` // seconds, 3,600–86,400
	Prompt        bool    `json:"prompt"`
	StopTimestamp Millis  `json:"stop_timestamp,omitempty"` // absolute stop time (number on the wire)
	RemainTime    FlexInt `json:"remain_time,omitempty"`    // seconds left as of the response
}

// FailedReasons explains a failed create or start.
type FailedReasons struct {
	Code    string            `json:"code,omitempty"`
	Message string            `json:"message,omitempty"`
	Detail  map[string]string `json:"detail,omitempty"`
}

// DevCredential holds repository or instance credentials. Both are secrets.
type DevCredential struct {
	SSHPrivateKey Secret `json:"ssh_private_key,omitempty"`
	AccessToken   Secret `json:"access_token,omitempty"` // GitHub OAuth token
}

// DevPool is the dedicated pool of a Gen 1 instance.
type DevPool struct {
	ID    string    `json:"id,omitempty"`
	Name  string    `json:"name,omitempty"`
	Type  string    `json:"type,omitempty"` // USER_DEFINED = dedicated
	Owner PoolOwner `json:"owner,omitzero"`
}

// DevUser is the owner of a Gen 1 instance.
type DevUser struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// QueuingInfo is present while a free-flavor instance waits in a queue.
type QueuingInfo struct {
	ID             string         `json:"id,omitempty"`
	Name           string         `json:"name,omitempty"`
	DeType         string         `json:"de_type,omitempty"`
	Flavor         string         `json:"flavor,omitempty"`
	FlavorDetails  *FlavorDetails `json:"flavor_details,omitempty"`
	Status         string         `json:"status,omitempty"` // CREATE_QUEUING or START_QUEUING
	BeginTimestamp Millis         `json:"begin_timestamp,omitempty"`
	EndTimestamp   Millis         `json:"end_timestamp,omitempty"`
	RemainTime     FlexInt        `json:"remain_time,omitempty"` // seconds
	Rank           FlexInt        `json:"rank,omitempty"`
}

// Repository is the git repository attached to a Gen 1 instance.
type Repository struct {
	ID             string          `json:"id,omitempty"`
	Branch         string          `json:"branch,omitempty"`
	UserName       string          `json:"user_name,omitempty"`
	UserEmail      string          `json:"user_email,omitempty"`
	Type           string          `json:"type,omitempty"` // CodeClub or GitHub
	ConnectionInfo *ConnectionInfo `json:"connection_info,omitempty"`
}

// ConnectionInfo is how a repository is reached.
type ConnectionInfo struct {
	Protocol   string         `json:"protocol,omitempty"` // ssh or https
	URL        string         `json:"url,omitempty"`
	Credential *DevCredential `json:"credential,omitempty"`
}

// DevListResponse is the body of the Gen 1 list: no page fields (§2.1).
type DevListResponse struct {
	TotalCount FlexInt       `json:"total_count"`
	Instances  []DevInstance `json:"instances"`
}

// UnmarshalJSON decodes leniently.
func (l *DevListResponse) UnmarshalJSON(b []byte) error {
	type alias DevListResponse
	return decodeLenient(b, (*alias)(l))
}

// DeleteDevResponse is the body of a Gen 1 delete.
type DeleteDevResponse struct {
	InstanceID string `json:"instance_id"`
}

// DevTokenResponse is the body of GET /demanager/instances/{id}/token (§2.7).
type DevTokenResponse struct {
	Token Secret `json:"token"`
}
