"""Many messages at once: streams on all cores (:mod:`.stream`) and Spark (:mod:`.spark`)."""
