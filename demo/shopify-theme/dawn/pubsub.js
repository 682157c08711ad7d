// The Dawn-like theme's pub/sub, with the contract of Dawn's pubsub.js (written for the demo): global
// functions from a classic script. subscribe(name, callback) answers the function that unsubscribes;
// publish(name, data) calls every subscriber with data and answers a promise of all their work, so a
// publisher can wait until the page is up to date.
const themeSubscribers = new Map();

function subscribe(eventName, callback) {
  themeSubscribers.set(eventName, [...(themeSubscribers.get(eventName) ?? []), callback]);
  return function unsubscribe() {
    themeSubscribers.set(eventName, (themeSubscribers.get(eventName) ?? []).filter((cb) => cb !== callback));
  };
}

function publish(eventName, data) {
  return Promise.all((themeSubscribers.get(eventName) ?? []).map((callback) => callback(data)));
}
