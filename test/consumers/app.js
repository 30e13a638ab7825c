// The whole integration, the same in the three setups: import the package and put the element on
// the page. No attribute, no file copied by hand.
import 'digit-listener';

document.querySelector('main').append(document.createElement('digit-listener'));
