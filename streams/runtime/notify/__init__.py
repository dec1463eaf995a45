"""`newsstream notify` at run time: the HTTP sender, one queue and task per destination, and
the consumer loop that commits an alert's offset only once every delivery of it finished."""
