import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { createLabRouter } from './router'
import './styles.css'

createApp(App).use(createPinia()).use(createLabRouter()).mount('#app')
