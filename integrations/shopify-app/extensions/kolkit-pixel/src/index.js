// kolkit's app pixel: Shopify CLI bundles this file (shopify.extension.toml beside it). What it does is in
// pixel.js; this only hands it Shopify's Standard API.
import {register} from '@shopify/web-pixels-extension';
import {kolkitPixel} from './pixel.js';

register(kolkitPixel);
