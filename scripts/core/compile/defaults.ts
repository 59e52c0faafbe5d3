// What the service fills in when a rule's PUT leaves these settings out (and what a GET then returns).
// One table for three users: compile writes them out so that a live rule compares equal, plan's
// normalizer fills them into live rules before comparing, and import leaves them out again.
export const SERVICE_DEFAULTS = {
  suppressionEnabled: false,
  suppressionDuration: 'PT5H',
  eventGroupingSettings: { aggregationKind: 'SingleAlert' },
  incidentConfiguration: {
    createIncident: true,
    groupingConfiguration: { enabled: false, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'AllEntities' },
  },
} as const;
