package dashboard

import "errors"

// ErrOptions: the options given to New cannot be used.
var ErrOptions = errors.New("dashboard: bad options")
