package nn

import (
	"strconv"

	"github.com/c2602f9e/goglove/trainer/tensor"
)

// Param is one named parameter of a layer or model: its value, the
// gradient of the last Backward, what it is for (its Role) and whether it
// trains.
type Param struct {
	// Name is the parameter's name: "w", "b", "gain" in a layer; prefixed
	// with the layer's place ("layers[2].w") in a Sequential.
	Name string
	// Value holds the float32 master weights; its shape is the parameter's.
	Value *tensor.Tensor
	// Grad has Value's shape and holds the gradient of the last Backward
	// (overwritten, not accumulated).
	Grad *tensor.Tensor
	// Role says what the parameter is for; optimizers apply weight decay
	// by role (see Role.Decays), and checkpoints, merging and adapters
	// select parameters by role rather than by name.
	Role Role
	// Frozen parameters do not train: optimizers skip them entirely,
	// leaving their values and their optimizer state unchanged. Their
	// gradients are still computed, since the layers below need them.
	// Containers copy the flag when they rename their layers' parameters,
	// when they are built; to freeze a parameter of a built network, set
	// the flag on the Param that the optimizer is given (the network's
	// own Params).
	Frozen bool
}

// Role is what a parameter is for.
type Role uint8

// The roles of parameters. The zero Role is no role: a Param built
// without one, which optimizers do not decay.
const (
	RoleWeight    Role = iota + 1 // a weight matrix (a Dense layer's "w")
	RoleBias                      // an additive bias (Dense "b", LayerNorm "bias")
	RoleGain                      // a multiplicative gain (LayerNorm "gain")
	RoleAdapter                   // a low-rank adapter's factor, trained over a frozen base
	RoleArchLogit                 // an architecture logit of a differentiable search
)

// String returns the role's name: "weight", "bias", "gain", "adapter" or
// "arch_logit" ("role(N)" for a value not among the constants).
func (r Role) String() string {
	switch r {
	case RoleWeight:
		return "weight"
	case RoleBias:
		return "bias"
	case RoleGain:
		return "gain"
	case RoleAdapter:
		return "adapter"
	case RoleArchLogit:
		return "arch_logit"
	}
	return "role(" + strconv.Itoa(int(r)) + ")"
}

// Decays reports whether optimizers apply weight decay to parameters of
// role r: weights and adapters (an adapter's factors are weight matrices
// of a low rank, and decaying them pulls the adapted network towards its
// base), never biases, gains or architecture logits.
func (r Role) Decays() bool { return r == RoleWeight || r == RoleAdapter }

// ParamFilter reports whether a parameter is selected.
type ParamFilter func(*Param) bool

// HasRole returns the filter selecting the parameters of any of roles.
func HasRole(roles ...Role) ParamFilter {
	var set uint64
	for _, r := range roles {
		set |= 1 << (r & 63)
	}
	return func(p *Param) bool { return set&(1<<(p.Role&63)) != 0 }
}

// Trainable selects the parameters that are not frozen.
func Trainable(p *Param) bool { return !p.Frozen }

// Decayed selects the parameters weight decay applies to: those whose
// Role decays (see Role.Decays). SGD and AdamW decay what it selects.
func Decayed(p *Param) bool { return p.Role.Decays() }

// Select returns the parameters of params that keep selects, in their
// order, in a new slice; the Params themselves are shared.
func Select(params []*Param, keep ParamFilter) []*Param {
	var out []*Param
	for _, p := range params {
		if keep(p) {
			out = append(out, p)
		}
	}
	return out
}

// ParamsByRole returns the parameters of params with any of roles, in
// their order: Select(params, HasRole(roles...)).
func ParamsByRole(params []*Param, roles ...Role) []*Param {
	return Select(params, HasRole(roles...))
}
