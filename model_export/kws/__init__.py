"""ScamGuard on-chip keyword spotter: keyword choice, data, training, int8 export, evaluation."""
